import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/app";

test("an admin registers a base and adds a cohort, with errors shown by the fields", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("admin");
  await page.goto("/admin/bases");
  const form = page.getByRole("region").or(page.locator("section")).filter({ has: page.getByRole("heading", { name: "登记实训基地" }) });
  await form.getByLabel("代码").fill("SH-PD-02");
  await form.getByLabel("基地名称").fill("上海市技术转移实训基地（浦东）");
  await form.getByLabel("所在地区").fill("上海市浦东新区");
  await form.getByRole("button", { name: "添加" }).click();
  await expect(page.getByRole("cell", { name: "SH-PD-02" })).toBeVisible();

  // Invalid cohort: every problem is shown next to its field, nothing is saved.
  await page.goto("/admin/cohorts");
  const cohort = page.locator("section").filter({ has: page.getByRole("heading", { name: "新建培训班次" }) });
  await cohort.getByLabel("班次代码").fill("bad code!");
  await cohort.getByLabel("班次名称").fill("测试班");
  await cohort.getByLabel("开班日期").fill("2027-03-01");
  await cohort.getByLabel("结业日期").fill("2027-01-01");
  await cohort.getByRole("button", { name: "添加" }).click();
  await expect(cohort.getByText("代码须为 2–32 位字母、数字或连字符。")).toBeVisible();
  await expect(cohort.getByText("结业日期不能早于开班日期。")).toBeVisible();
  await expect(page.getByRole("cell", { name: "测试班" })).toHaveCount(0);

  await cohort.getByLabel("班次代码").fill("2027-SH-JR-01");
  await cohort.getByLabel("结业日期").fill("2027-06-30");
  await cohort.getByRole("button", { name: "添加" }).click();
  await expect(page.getByRole("cell", { name: "2027-SH-JR-01" })).toBeVisible();
});

test("the audit log shows changes and an intact chain to the auditor", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("auditor");
  await page.goto("/audit");
  await expect(page.getByRole("status").filter({ hasText: "哈希链完整" })).toHaveCount(0);
  await page.getByRole("button", { name: "核验哈希链" }).click();
  await expect(page.getByRole("status").filter({ hasText: "哈希链完整" })).toBeVisible();
  // Actions are offered and shown in words; the filter keeps the code.
  await page.getByLabel("操作").first().selectOption({ label: "载入演示数据" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/action=demo.load/);
  await expect(page.getByRole("cell", { name: "载入演示数据" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "演示数据", exact: true })).toBeVisible();
  await page.getByLabel("操作").first().selectOption("session.sign_in");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/action=session.sign_in/);
  await expect(page.getByRole("cell", { name: "载入演示数据" })).toHaveCount(0);
  await expect(page.getByRole("cell", { name: "刘颖（auditor）" }).first()).toBeVisible();
  // Times are in the deployment's zone, said once under the title.
  await expect(page.getByText("时间按 Asia/Shanghai, UTC+08:00 显示。")).toHaveCount(1);
});
