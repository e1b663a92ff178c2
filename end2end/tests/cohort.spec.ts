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

test("a base admin records a session's attendance for the whole cohort in one step", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("baseadmin");
  await page.goto("/admin/cohorts/2026-SH-JR-01");
  const schedule = page.locator("section").filter({ has: page.getByRole("heading", { name: "安排课程" }) });
  await schedule.getByLabel("课程名称").selectOption("IM-CP-01");
  await schedule.getByLabel("上课日期").fill("2026-10-22");
  await schedule.getByRole("button", { name: "添加" }).click();
  const row = page.getByRole("row").filter({ hasText: "IM-CP-01" });
  await expect(row).toContainText("2026-10-22");

  const attendance = page.locator("section").filter({ has: page.getByRole("heading", { name: "记录出勤" }) });
  await attendance.getByLabel("课程安排").selectOption({ label: "2026-10-22 IM-CP-01 技术评估与作价" });
  const roster = attendance.locator(".roster input[type=checkbox]");
  const members = await roster.count();
  expect(members).toBeGreaterThan(10);
  // Untick one absent member: the button counts the others.
  await roster.first().uncheck();
  await expect(attendance.getByRole("button", { name: `为 ${members - 1} 人记录出勤` })).toBeVisible();
  await attendance.getByRole("button", { name: /记录出勤/ }).click();
  await expect(attendance.getByText(`已新增 ${members - 1} 条出勤记录。`)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "IM-CP-01" })).toContainText(String(members - 1));
  // A session with attendance stays on the timetable.
  await expect(page.getByRole("row").filter({ hasText: "IM-CP-01" }).getByRole("button", { name: "删除" })).toHaveCount(0);
});
