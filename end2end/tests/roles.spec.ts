import { expect, test } from "@playwright/test";
import { LoginPage, Shell, watchErrors } from "../pages/app";

// Each demo role signs in, sees exactly its navigation and a landing page with its tasks, in
// Chinese and in English.
const ROLES: { user: string; role: string; roleEn: string; nav: string[] }[] = [
  { user: "admin", role: "系统管理员", roleEn: "System administrator", nav: ["工作台", "我的档案", "基地概况", "用户管理", "实训基地", "培训班次", "课程体系", "评审委员会", "规则集", "审计日志"] },
  { user: "authority", role: "主管部门", roleEn: "Program authority", nav: ["工作台", "我的档案", "基地概况", "实训基地", "培训班次", "课程体系", "评审委员会", "规则集"] },
  { user: "auditor", role: "审计员", roleEn: "Auditor", nav: ["工作台", "我的档案", "规则集", "审计日志"] },
  { user: "baseadmin", role: "基地管理员", roleEn: "Training-base admin", nav: ["工作台", "我的档案", "审核", "基地概况", "数据导入", "实训基地", "培训班次", "课程体系"] },
  { user: "instructor", role: "授课导师", roleEn: "Instructor", nav: ["工作台", "我的档案", "案例评分", "实训基地", "培训班次", "课程体系"] },
  { user: "unitreviewer", role: "单位审核人", roleEn: "Unit reviewer", nav: ["工作台", "我的档案", "单位推荐"] },
  { user: "secretary", role: "评委会秘书", roleEn: "Committee secretary", nav: ["工作台", "我的档案", "评审批次", "评审委员会"] },
  { user: "chair", role: "评委会主任", roleEn: "Committee chair", nav: ["工作台", "我的档案", "评审批次", "会议投票", "评审委员会"] },
  { user: "reviewer", role: "评审专家", roleEn: "Reviewer", nav: ["工作台", "我的档案", "评审任务", "会议投票", "评审委员会"] },
  { user: "trainee", role: "学员", roleEn: "Trainee", nav: ["工作台", "我的进展", "我的记录", "我的档案", "职称申报"] },
  { user: "hrss", role: "人社部门", roleEn: "HRSS authority", nav: ["工作台", "我的档案", "结果确认"] },
];

const NAV_EN: Record<string, string> = {
  工作台: "Home",
  用户管理: "Users",
  实训基地: "Training bases",
  培训班次: "Cohorts",
  评审委员会: "Committees",
  我的档案: "My profile",
  课程体系: "Courses",
  规则集: "Rulesets",
  审计日志: "Audit log",
  我的进展: "My progress",
  我的记录: "My records",
  审核: "Verification",
  基地概况: "Base overview",
  数据导入: "Imports",
  案例评分: "Case reviews",
  职称申报: "Title application",
  单位推荐: "Unit approval",
  评审批次: "Review sessions",
  评审任务: "My reviews",
  会议投票: "Vote",
  结果确认: "Confirmation",
};

for (const { user, role, roleEn, nav } of ROLES) {
  test(`${user} sees the ${role} navigation and tasks in both languages, then signs out`, async ({ page }) => {
    const errors = watchErrors(page);
    const login = new LoginPage(page);
    await login.open();
    await login.signIn(user);
    await expect(page).toHaveURL(/\/$/);
    const shell = new Shell(page);
    await expect(shell.nav()).toBeVisible();
    expect(await shell.navLabels()).toEqual(nav);
    const card = page.getByTestId("task-card").filter({ has: page.getByRole("heading", { name: role, exact: true }) });
    await expect(card).toBeVisible();
    await expect(card.getByRole("listitem").first()).toBeVisible();
    await shell.switchLanguage("English");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    const cardEn = page.getByTestId("task-card").filter({ has: page.getByRole("heading", { name: roleEn, exact: true }) });
    await expect(cardEn).toBeVisible();
    expect(await shell.navLabels()).toEqual(nav.map((label) => NAV_EN[label]));
    await shell.switchLanguage("中文");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await shell.signOut();
    await expect(page.getByRole("heading", { name: "登录 Ladder" })).toBeVisible();
    expect(errors).toEqual([]);
  });
}

test("a trainee opening an admin page is refused with 403", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("trainee");
  const response = await page.goto("/admin/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("an anonymous visitor is sent to sign in and comes back after", async ({ page }) => {
  await page.goto("/admin/cohorts");
  await expect(page).toHaveURL(/\/login\?next=\/admin\/cohorts$/);
  await new LoginPage(page).signInAndLand("baseadmin", /\/admin\/cohorts$/);
  await expect(page.getByRole("cell", { name: "2026-SH-JR-01" })).toBeVisible();
});

test("a wrong password shows an error next to the form", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signIn("admin", "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "用户名或密码不正确" })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});
