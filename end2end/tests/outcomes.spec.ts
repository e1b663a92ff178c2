import { expect, test } from "@playwright/test";
import { LoginPage, Shell } from "../pages/app";

test("a trainee records a commercialisation outcome and a contribution", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("trainee");
  await page.goto("/records");
  const form = page.getByRole("tabpanel");

  await page.getByRole("tab", { name: "转化成效" }).click();
  await form.getByLabel("成效类别").selectOption("financing");
  await form.getByLabel("日期", { exact: true }).fill("2026-06-18");
  await form.getByLabel("说明（企业名称、产品、融资方等）").fill("某新材料公司完成天使轮融资");
  await form.getByLabel("金额（万元，可不填）").fill("abc");
  await form.getByRole("button", { name: "添加" }).click();
  await expect(form.getByText("请输入以万元为单位的金额，如 12.5。")).toBeVisible();
  await form.getByLabel("金额（万元，可不填）").fill("1500");
  await form.getByRole("button", { name: "添加" }).click();
  const outcome = page.getByRole("row").filter({ hasText: "某新材料公司完成天使轮融资" });
  await expect(outcome).toContainText("完成融资");
  await expect(outcome).toContainText("1500.00 万元");
  await expect(outcome).toContainText("待审核");

  await page.getByRole("tab", { name: "专业贡献" }).click();
  await form.getByLabel("贡献类别").selectOption("teaching");
  await form.getByLabel("名称", { exact: true }).fill("技术合同登记实务（授课）");
  await form.getByLabel("日期", { exact: true }).fill("2026-07-02");
  await form.getByLabel("学时", { exact: true }).fill("6");
  await form.getByRole("button", { name: "添加" }).click();
  const teaching = page.getByRole("row").filter({ hasText: "技术合同登记实务（授课）" });
  await expect(teaching).toContainText("授课 6 学时");
  await expect(teaching).toContainText("待审核");
});

test("a trainee writes up a practical case and an instructor scores it on the rubric", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("trainee");
  await page.goto("/records");
  await page.getByRole("tab", { name: "实践案例" }).click();
  const form = page.getByRole("tabpanel");
  await form.getByLabel("名称", { exact: true }).fill("高校专利包许可与作价入股");
  await form.getByLabel("结束日期").fill("2026-06-30");
  await form.getByLabel("案例叙述").fill("太短");
  await form.getByLabel("本人的作用与贡献").fill("牵头尽职调查、估值与许可谈判");
  await form.getByRole("button", { name: "添加" }).click();
  // No stage ticked and a two-character narrative: both said next to their fields.
  await expect(form.locator(".stages").getByText("请选择一项。")).toBeVisible();
  await expect(form.getByText("案例叙述太短", { exact: false })).toBeVisible();
  await form.getByLabel("评价", { exact: true }).check();
  await form.getByLabel("交易", { exact: true }).check();
  await form.getByLabel("案例叙述").fill("该案例围绕某高校固态电解质专利包的许可与作价入股展开，历时八个月，涉及三方。".repeat(2));
  await form.getByLabel("本人的作用与贡献").fill("牵头尽职调查、估值与许可谈判");
  await form.getByRole("button", { name: "添加" }).click();
  const row = page.getByRole("row").filter({ hasText: "高校专利包许可与作价入股" });
  await expect(row).toContainText("评价");
  await expect(row).toContainText("交易");
  await new Shell(page).signOut();

  await login.signInAndLand("instructor");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "案例评分" }).click();
  const item = page.locator(".queue__item").filter({ hasText: "高校专利包许可与作价入股" });
  await expect(item).toContainText("张伟");
  await item.getByLabel(/^复杂度与规模/).fill("25");
  for (const [criterion, points] of [["成果与影响", "22"], ["个人贡献", "20"], ["专业方法", "18"], ["反思与可复制性", "8"]]) {
    await item.getByLabel(new RegExp(`^${criterion}`)).fill(points);
  }
  await item.getByRole("button", { name: "保存评分" }).click();
  // 25 is above the criterion's 20: refused by the browser's own check or by the server.
  await item.getByLabel(/^复杂度与规模/).fill("18");
  await item.getByRole("button", { name: "保存评分" }).click();
  await expect(page.getByText("评分已保存。")).toBeVisible();
  await expect(page.locator(".queue__item").filter({ hasText: "高校专利包许可与作价入股" })).toContainText("已有 1 份评分");
  await expect(page.locator(".queue__item").filter({ hasText: "高校专利包许可与作价入股" }).getByLabel(/^复杂度与规模/)).toHaveValue("18");
});
