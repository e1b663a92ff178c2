import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/app";

test("a trainee records a commercialisation outcome and a contribution", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("trainee");
  await page.goto("/records");
  const form = page.locator(".record-forms");

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
