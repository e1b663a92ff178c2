import { expect, test } from "@playwright/test";
import { LoginPage, watchErrors } from "../pages/app";

// The forms of "My records" (issue 21, items 1–4): each keeps what was typed in it and
// nothing moves to another; the tab is in the address; a form sent twice is saved once and
// starts again empty; a half-filled form is not left without asking; evidence defaults by
// the record's kind.
test("each record form keeps its own values, is saved once and starts again empty", async ({ page }) => {
  const errors = watchErrors(page);
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("trainee");
  await page.goto("/records");
  const panel = page.getByRole("tabpanel");

  // Typed on 技术交易, then 实践案例: the case form is empty, its role untouched.
  await page.getByRole("tab", { name: "技术交易" }).click();
  await expect(page).toHaveURL(/[?&]tab=deal/);
  await panel.getByLabel("合同名称").fill("某高校电池材料专利许可");
  await panel.getByLabel("合同成交额（万元）").fill("260");
  await page.getByRole("tab", { name: "实践案例" }).click();
  await expect(page).toHaveURL(/[?&]tab=case/);
  await expect(panel.getByLabel("名称", { exact: true })).toHaveValue("");
  await expect(panel.getByLabel(/^关联的技术合同登记编号/)).toHaveValue("");
  await expect(panel.getByLabel("我的角色")).toHaveValue("lead");
  await page.getByRole("tab", { name: "培训学时" }).click();
  await expect(panel.getByLabel("名称", { exact: true })).toHaveValue("");
  await expect(panel.getByLabel("学时", { exact: true })).toHaveValue("");
  // The browser's back button walks the tabs back (培训学时 → 实践案例 → 技术交易), and what
  // was typed on 技术交易 is still there.
  await page.goBack();
  await expect(page).toHaveURL(/[?&]tab=case/);
  await page.goBack();
  await expect(page).toHaveURL(/[?&]tab=deal/);
  await expect(page.getByRole("tab", { name: "技术交易" })).toHaveAttribute("aria-selected", "true");
  await expect(panel.getByLabel("合同名称")).toHaveValue("某高校电池材料专利许可");
  await expect(panel.getByLabel("合同成交额（万元）")).toHaveValue("260");

  // Leaving for another page with a half-filled form asks; "stay" keeps everything.
  const asked: string[] = [];
  page.once("dialog", (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的进展" }).click();
  expect(asked).toEqual(["表单中填写的内容尚未保存，确定要离开吗？"]);
  await expect(page).toHaveURL(/\/records/);
  await expect(panel.getByLabel("合同名称")).toHaveValue("某高校电池材料专利许可");

  // The tab lives in the address: a reload opens the same form.
  await page.getByRole("tab", { name: "继续教育" }).click();
  await expect(page).toHaveURL(/[?&]tab=ce/);
  page.once("dialog", (d) => void d.accept());
  await page.reload();
  await expect(page.getByRole("tab", { name: "继续教育" })).toHaveAttribute("aria-selected", "true");
  await expect(panel.getByLabel("科目类别")).toBeVisible();

  // The same form sent twice at once: two requests, one record, and the form is empty again.
  await panel.getByLabel("科目类别").selectOption("professional");
  await panel.getByLabel("学时", { exact: true }).fill("12");
  await panel.getByLabel("日期", { exact: true }).fill("2026-05-01");
  await panel.getByLabel("名称", { exact: true }).fill("技术转移专题研修（重复提交）");
  await panel.getByLabel("举办单位").fill("上海市专业技术人员继续教育平台");
  const sent: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/save_ce")) sent.push(r.postData() ?? "");
  });
  await panel.locator("form").evaluate((f: HTMLFormElement) => {
    f.requestSubmit();
    f.requestSubmit();
  });
  await expect(panel.getByText("已保存，等待培训基地审核。")).toBeVisible();
  const rows = page.getByRole("row").filter({ hasText: "技术转移专题研修（重复提交）" });
  await expect(rows).toHaveCount(1);
  expect(sent).toHaveLength(2);
  expect(sent[0]).toContain("form_key=");
  expect(sent[1]).toEqual(sent[0]);
  await expect(panel.getByLabel("名称", { exact: true })).toHaveValue("");
  await expect(panel.getByLabel("学时", { exact: true })).toHaveValue("");

  // Evidence defaults by the record's kind: a certificate for continuing education, the
  // contract for a deal.
  await rows.locator("summary").filter({ hasText: "附件" }).click();
  await expect(rows.getByLabel("附件类别")).toHaveValue("certificate");
  await page.getByRole("tab", { name: "技术交易" }).click();
  await panel.getByLabel("合同名称").fill("某高校电池材料专利许可");
  await panel.getByLabel("签订日期").fill("2026-02-20");
  await panel.getByLabel("合同成交额（万元）").fill("260");
  await panel.getByLabel("卖方").fill("某高校");
  await panel.getByLabel("买方").fill("某电池公司");
  await panel.getByRole("button", { name: "添加" }).click();
  const deal = page.getByRole("row").filter({ hasText: "某高校电池材料专利许可" });
  await expect(deal).toContainText("待审核");
  await expect(panel.getByLabel("合同名称")).toHaveValue("");
  await deal.locator("summary").filter({ hasText: "附件" }).click();
  await expect(deal.getByLabel("附件类别")).toHaveValue("contract");
  expect(errors).toEqual([]);
});
