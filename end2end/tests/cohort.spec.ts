import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/app";

test("a base admin puts catalog courses on a cohort's timetable", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  await page.goto("/admin/cohorts");
  await page.getByRole("link", { name: "2026-SH-JR-01" }).click();
  await expect(page).toHaveURL(/\/admin\/cohorts\/2026-SH-JR-01$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("初级技术经纪人培训班");
  await expect(page.getByText("尚未安排课程。")).toBeVisible();

  const form = page.locator("section").filter({ has: page.getByRole("heading", { name: "安排课程" }) });
  await form.getByLabel("课程名称").selectOption("JR-PL-01");
  await form.getByLabel("上课日期").fill("2027-02-01");
  await form.getByRole("button", { name: "添加" }).click();
  await expect(form.getByText("日期须在本班次的开班与结业日期之间。")).toBeVisible();
  await form.getByLabel("上课日期").fill("2026-09-12");
  await form.getByLabel("地点").fill("徐汇校区 301");
  await form.getByRole("button", { name: "添加" }).click();
  const row = page.getByRole("row").filter({ hasText: "促进科技成果转化法解读" });
  await expect(row).toContainText("2026-09-12");
  await expect(row).toContainText("徐汇校区 301");
  await expect(page.locator(".module-hours")).toContainText("政策法规");

  await row.getByRole("button", { name: "删除" }).click();
  await expect(page.getByText("尚未安排课程。")).toBeVisible();
});
