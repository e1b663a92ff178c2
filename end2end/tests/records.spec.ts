import { expect, test } from "@playwright/test";
import { LoginPage, Shell, watchErrors } from "../pages/app";

// A trainee records a deal (errors appear next to their fields first) and an external
// training session; the base admin verifies the deal and rejects the session with a reason;
// the trainee sees both decisions.
test("a trainee's records go through the base's verification queue", async ({ page }) => {
  const errors = watchErrors(page);
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("trainee");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的记录" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "我的记录" })).toBeVisible();
  // The demo's rejected entry shows the base's reason.
  await expect(page.getByText("请上传主办方出具的学时证明", { exact: false })).toBeVisible();

  await page.getByRole("tab", { name: "技术交易" }).click();
  const form = page.getByRole("tabpanel");
  await form.getByLabel("合同名称").fill("高通量筛选平台技术服务合同");
  await form.getByLabel("合同类型").selectOption("service");
  await form.getByLabel("登记编号").fill("2026310104009999");
  await form.getByLabel("登记日期").fill("2026-03-01");
  await form.getByLabel("签订日期").fill("2026-03-15");
  await form.getByLabel("合同成交额（万元）").fill("80");
  await form.getByLabel("核定技术交易额（万元）").fill("95");
  await form.getByLabel("卖方").fill("上海微技术工业研究院");
  await form.getByLabel("买方").fill("某生物医药公司");
  await form.getByLabel("我的份额（%）").fill("50");
  await form.getByRole("button", { name: "添加" }).click();
  await expect(form.getByText("技术交易额不能大于合同成交额。")).toBeVisible();
  await expect(form.getByText("登记日期不能早于签订日期。")).toBeVisible();
  await form.getByLabel("登记日期").fill("2026-03-20");
  await form.getByLabel("核定技术交易额（万元）").fill("72.5");
  await form.getByRole("button", { name: "添加" }).click();
  const deal = page.getByRole("row").filter({ hasText: "高通量筛选平台技术服务合同" });
  await expect(deal).toContainText("待审核");
  await expect(deal).toContainText("72.50");

  // Evidence: the type is judged by content, so a renamed text file is refused.
  const attach = async (name: string, mimeType: string, body: string) => {
    const row = page.getByRole("row").filter({ hasText: "高通量筛选平台技术服务合同" });
    await row.locator("summary").filter({ hasText: "附件" }).click();
    await row.getByLabel("附件类别").selectOption("contract");
    await row.locator('input[type="file"]').setInputFiles({ name, mimeType, buffer: Buffer.from(body) });
    await row.getByRole("button", { name: "上传" }).click();
  };
  await attach("合同.pdf", "application/pdf", "just text, renamed");
  await expect(page.getByRole("alert").filter({ hasText: "只接受 PDF、JPEG 或 PNG 文件" })).toBeVisible();
  await attach("合同.pdf", "application/pdf", "%PDF-1.4\n%%EOF\n");
  await expect(page.getByText("附件已上传。")).toBeVisible();
  await expect(deal.getByRole("link", { name: /合同文本 · 合同\.pdf/ })).toBeVisible();

  await page.getByRole("tab", { name: "培训学时" }).click();
  await form.getByLabel("日期", { exact: true }).fill("2026-11-02");
  await form.getByLabel("模块").selectOption("policy_law");
  await form.getByLabel("形式").selectOption("online");
  await form.getByLabel("学时", { exact: true }).fill("6");
  await form.getByLabel("名称", { exact: true }).fill("技术合同认定登记实务讲座");
  await form.getByLabel("举办单位").fill("上海技术交易所");
  await form.getByRole("button", { name: "添加" }).click();
  await expect(page.getByRole("row").filter({ hasText: "技术合同认定登记实务讲座" })).toContainText("待审核");
  await new Shell(page).signOut();

  await login.signInAndLand("baseadmin");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "审核" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "记录审核" })).toBeVisible();
  const queuedDeal = page.locator(".queue__item").filter({ hasText: "高通量筛选平台技术服务合同" });
  await expect(queuedDeal).toContainText("张伟");
  await expect(queuedDeal.getByRole("link", { name: /合同文本 · 合同\.pdf/ })).toBeVisible();
  await queuedDeal.getByRole("button", { name: "审核通过" }).click();
  await expect(queuedDeal).toHaveCount(0);
  const lecture = page.locator(".queue__item").filter({ hasText: "技术合同认定登记实务讲座" });
  await lecture.getByPlaceholder("原因（学员可见）").fill("请补充主办方出具的学时证明。");
  await lecture.getByRole("button", { name: "退回" }).click();
  await expect(lecture).toHaveCount(0);
  // The demo trainee's last practicum session waits too; the base confirms it.
  const practicum = page.locator(".queue__item").filter({ hasText: "技术经纪实务实训" });
  await practicum.getByRole("button", { name: "审核通过" }).click();
  await expect(practicum).toHaveCount(0);
  await new Shell(page).signOut();

  await login.signInAndLand("trainee");
  await page.goto("/records?kind=&status=&sort=&page=1");
  await expect(page.getByRole("row").filter({ hasText: "高通量筛选平台技术服务合同" })).toContainText("基地已审核");
  const rejected = page.getByRole("row").filter({ hasText: "技术合同认定登记实务讲座" });
  await expect(rejected).toContainText("已退回");
  await expect(rejected).toContainText("请补充主办方出具的学时证明。");
  // A verified record offers a correction instead of an edit, and no withdrawal.
  const verified = page.getByRole("row").filter({ hasText: "高通量筛选平台技术服务合同" });
  await expect(verified.getByRole("button", { name: "申请更正" })).toBeVisible();
  await expect(verified.getByRole("button", { name: "撤回" })).toHaveCount(0);
  // Filtering by state is in the URL.
  await page.goto("/records?status=rejected");
  await expect(page.getByRole("row").filter({ hasText: "技术合同认定登记实务讲座" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "高通量筛选平台技术服务合同" })).toHaveCount(0);

  // The dashboard counts the verified session, explains it, and the gap is gone.
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的进展" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "我的进展" })).toBeVisible();
  const requirements = page.locator(".requirements");
  await expect(requirements).toContainText("实务技能 16 / 16 学时");
  await expect(page.locator(".gaps").first()).not.toContainText("实务技能还需");
  const curriculum = page.locator("details.ledger").filter({ hasText: "等级课程完成度" });
  await expect(curriculum).toContainText("100.0 × 60% × 15% = 9.0");
  await expect(curriculum.locator("li").filter({ hasText: "实务技能" }).last()).not.toContainText("未计入");
  // The documented, verified deal counts, as does the demo's registered licence.
  const deals = page.locator("details.ledger").filter({ hasText: "登记技术合同数" });
  await expect(deals.locator("li").filter({ hasText: "高通量筛选平台技术服务合同" })).toContainText("主导 × 1.000");
  await expect(deals.locator("li").filter({ hasText: "固态电解质" })).toContainText("主导 × 1.000");
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  expect(errors.filter((e) => !e.includes("422"))).toEqual([]);
});
