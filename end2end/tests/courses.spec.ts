import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/app";

test("a base admin keeps the course catalog: add with errors by the fields, retire, restore", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  // The landing page counts the base's courses (the demo catalog has ten).
  await expect(page.getByRole("link").filter({ hasText: "课程体系中的课程" })).toContainText("10");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "课程体系" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "课程体系" })).toBeVisible();
  // The demo catalog is there.
  await expect(page.getByRole("cell", { name: "技术经纪实务实训" })).toBeVisible();

  const form = page.locator("section").filter({ has: page.getByRole("heading", { name: "添加课程" }) });
  await form.getByLabel("课程代码").fill("JR-PL-03");
  await form.getByLabel("课程名称").fill("技术合同认定登记规则");
  await form.getByLabel("模块").selectOption("policy_law");
  await form.getByLabel("学时").fill("0");
  await form.getByRole("button", { name: "添加" }).click();
  await expect(form.getByText("请输入大于 0 的学时，如 16 或 1.5。")).toBeVisible();
  await form.getByLabel("学时").fill("4.5");
  await form.getByRole("button", { name: "添加" }).click();
  const row = page.getByRole("row").filter({ hasText: "技术合同认定登记规则" });
  await expect(row).toContainText("4.5");
  await expect(row).toContainText("政策法规");

  await row.getByRole("button", { name: "停用" }).click();
  await expect(row.getByText("已停用")).toBeVisible();
  await row.getByRole("button", { name: "恢复" }).click();
  await expect(row.getByText("已停用")).toHaveCount(0);
});

test("an instructor reads the catalog but cannot change it", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("instructor");
  await page.goto("/admin/courses");
  await expect(page.getByRole("cell", { name: "技术转移概论" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "添加课程" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "停用" })).toHaveCount(0);
});
