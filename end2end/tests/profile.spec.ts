import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/app";

test("a trainee keeps their profile: errors by the fields, entries added and removed", async ({ page }) => {
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand("trainee");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的档案" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "我的档案" })).toBeVisible();

  const education = page.locator("section").filter({ has: page.getByRole("heading", { name: "学历", exact: true }) });
  await education.getByLabel("学历层次").selectOption("master");
  await education.getByLabel("院校").fill("同济大学");
  await education.getByLabel("专业").fill("管理科学与工程");
  await education.getByLabel("毕业日期").fill("2999-06-30");
  await education.getByRole("button", { name: "添加" }).click();
  await expect(education.getByText("日期不能晚于今天。")).toBeVisible();
  await education.getByLabel("毕业日期").fill("2012-06-30");
  await education.getByRole("button", { name: "添加" }).click();
  await expect(education.getByRole("listitem").filter({ hasText: "同济大学" })).toContainText("2012-06-30");
  // The form is emptied after a success, so a second click cannot add the entry twice.
  await expect(education.getByLabel("院校")).toHaveValue("");

  const titles = page.locator("section").filter({ has: page.getByRole("heading", { name: "专业技术职称" }) });
  await titles.getByLabel("取得日期").fill("2019-12-20");
  await titles.getByLabel("证书编号").fill("JJ-2019-0001");
  await titles.getByRole("button", { name: "添加" }).click();
  await expect(titles.getByRole("listitem").filter({ hasText: "经济师（中级）" })).toContainText("JJ-2019-0001");

  const work = page.locator("section").filter({ has: page.getByRole("heading", { name: "工作经历" }) });
  await work.getByLabel("单位").fill("上海某技术转移中心");
  await work.getByLabel("起始日期").fill("2020-03-01");
  await work.getByLabel("截止日期").fill("2019-01-01");
  await work.getByRole("button", { name: "添加" }).click();
  await expect(work.getByText("截止日期不能早于起始日期。")).toBeVisible();
  await work.getByLabel("截止日期").fill("");
  await work.getByRole("button", { name: "添加" }).click();
  const job = work.getByRole("listitem").filter({ hasText: "上海某技术转移中心" });
  await expect(job).toContainText("至今");
  await job.getByRole("button", { name: "删除" }).click();
  await expect(work.getByRole("listitem").filter({ hasText: "上海某技术转移中心" })).toHaveCount(0);

  const locality = page.locator("section").filter({ has: page.getByRole("heading", { name: "属地与从业" }) });
  await locality.getByLabel("持有效的上海市居住证").check();
  await locality.getByLabel("近两年在本市缴纳社保月数").fill("18");
  await locality.getByLabel("从事技术转移工作起始日期").fill("2016-03-01");
  await locality.getByRole("button", { name: "保存" }).click();
  await expect(locality.getByText("已保存。")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("持有效的上海市居住证")).toBeChecked();
  await expect(page.getByLabel("近两年在本市缴纳社保月数")).toHaveValue("18");
});
