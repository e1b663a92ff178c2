import { expect, test, type Browser, type Page } from "@playwright/test";
import { LoginPage, watchErrors } from "../pages/app";

// The senior-title review as the README's walkthrough tells it, in three parts that share the
// demo session: a candidate applies, their unit returns and then approves the application, and
// the secretariat's formal check accepts one candidate, asks one for a supplement and turns the
// third down; the first candidate defends (答辩) and three reviewers score the case and the
// defense independently, then the expert review ends; the supplement comes in, the second
// candidate defends and is scored, and the committee meets, votes in secret and the chair
// certifies one pass and one fail (the third candidate was not eligible).

// Waits until the page's event handlers are in place (the hydrate entry point marks <html>).
async function hydrated(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

// Today in China (UTC+8), as a datetime-local input takes it at `hm`.
function todayAt(hm: string): string {
  return `${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)}T${hm}`;
}

// A day in China (UTC+8), `offset` days from today, as a date input takes it.
function chinaDay(offset: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10);
}

// The secretariat schedules a candidate's defense from the scoring progress.
async function scheduleDefense(page: Page, candidate: string, hm: string, place: string): Promise<void> {
  const item = page.locator(".scoring .queue__item").filter({ hasText: candidate });
  await expect(item.locator("[data-defense-at]")).toContainText("尚未安排");
  await item.getByLabel("答辩时间").fill(todayAt(hm));
  await item.getByLabel("答辩地点").fill(place);
  await item.getByRole("button", { name: "安排答辩" }).click();
  await expect(item.locator("[data-defense-at]")).toContainText(`${hm} · ${place}`);
}

// A reviewer on a candidate's score sheet gives the defense its score.
async function scoreDefense(page: Page, score: number, remark: string): Promise<void> {
  await page.getByLabel(/^答辩评分/).fill(String(score));
  await page.getByLabel("答辩评语").fill(remark);
  await page.getByRole("button", { name: "提交答辩评分" }).click();
  await expect(page.locator(".defense [data-defense-score]").first()).toHaveAttribute("data-defense-score", String(score));
}

async function as(browser: Browser, user: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const login = new LoginPage(page);
  await login.open();
  await login.signInAndLand(user);
  return { page, errors };
}

test("an application goes from the candidate through the unit to the secretariat's formal check", async ({ browser }) => {
  // The candidate: the automatic check's verdict on their records comes first.
  const trainee = await as(browser, "trainee");
  let page = trainee.page;
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "职称申报" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "职称申报" })).toBeVisible();
  const card = page.locator("[data-session='2026-SH-TT']");
  await expect(card.locator(".alert")).toContainText("按你当前的记录，自动审核");
  await card.getByLabel("破格申报理由（如有）").fill("主导完成 3 项重大技术转让，累计技术交易额 2000 万元");
  await card.getByRole("button", { name: "提交申报" }).click();
  const mine = page.locator("[data-application]");
  await expect(mine.locator(".application__head [data-state='submitted']")).toHaveText("已提交，待单位审核");

  // The unit returns it with a reason.
  const unit = await as(browser, "unitreviewer");
  page = unit.page;
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "单位推荐" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "单位审核推荐" })).toBeVisible();
  let entry = page.locator(".queue__item").filter({ hasText: "张伟" });
  await entry.getByPlaceholder("理由（申报人可见）").fill("请先在我的档案中登记经济师职称");
  await entry.getByRole("button", { name: "退回申报人" }).click();
  await expect(entry).toHaveCount(1);
  await expect(entry.locator(".queue__head [data-state='draft']")).toBeVisible();

  // The candidate sees why, and submits again.
  page = trainee.page;
  await page.reload();
  await mine.getByText("办理记录").click();
  await expect(mine.getByText("请先在我的档案中登记经济师职称")).toBeVisible();
  await expect(page.getByText("单位已退回申报")).toBeVisible();
  await card.getByRole("button", { name: "重新提交申报" }).click();
  await expect(mine.locator(".application__head [data-state='submitted']")).toBeVisible();

  // The unit approves; its notice starts today and runs five working days.
  page = unit.page;
  await page.reload();
  entry = page.locator(".queue__item").filter({ hasText: "张伟" });
  await entry.getByRole("button", { name: "审核通过并公示" }).click();
  await expect(entry.locator(".queue__head [data-state='unit_public_notice']")).toBeVisible();
  // Five working days from today (December has no holidays): when they reach next year,
  // whose calendar the demo does not hold, the end is not known and the clock stops.
  let day = new Date(Date.now() + 8 * 3600_000);
  const thisYear = day.getUTCFullYear();
  for (let counted = 0; ; day = new Date(day.getTime() + 86400_000)) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) counted++;
    if (counted === 5) break;
  }
  if (day.getUTCFullYear() === thisYear) {
    await expect(entry.getByText(/公示期 \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}/)).toBeVisible();
  } else {
    await expect(entry.locator(`[data-calendar-missing='${thisYear + 1}']`)).toBeVisible();
  }

  // The secretariat: the demo session's three recommended applications.
  const secretary = await as(browser, "secretary");
  page = secretary.page;
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "评审批次" }).click();
  await page.getByRole("link", { name: "2026-SH-TT" }).click();
  await expect(page.getByRole("heading", { name: /2026年度上海市经济系列科技成果转移转化高级职称评审/ })).toBeVisible();
  for (const name of ["陈晓明", "林静", "赵强"]) {
    const row = page.locator(".session-applications > .queue__item").filter({ hasText: name });
    await row.getByRole("button", { name: "接收" }).click();
    await expect(row.locator(".queue__head [data-state='formal_check']")).toBeVisible();
  }
  // Not eligible: the reason is filled in from the automatic check.
  const zhao = page.locator(".session-applications > .queue__item").filter({ hasText: "赵强" });
  await expect(zhao.getByText("取得中级职称后需满 5 年")).toBeVisible();
  await zhao.getByRole("button", { name: "不予受理" }).click();
  await expect(zhao.locator(".queue__head [data-state='not_accepted']")).toBeVisible();
  const lin = page.locator(".session-applications > .queue__item").filter({ hasText: "林静" });
  await lin.getByPlaceholder("理由（申报人可见）").first().fill("请补充单位出具的业绩证明");
  await lin.getByRole("button", { name: "要求补充材料" }).click();
  await expect(lin.locator(".queue__head [data-state='supplement_requested']")).toBeVisible();
  const chen = page.locator(".session-applications > .queue__item").filter({ hasText: "陈晓明" });
  await chen.getByRole("button", { name: "受理", exact: true }).click();
  await expect(chen.locator(".queue__head [data-state='panel_assigned']")).toBeVisible();

  // 陈晓明 goes on the first sub-panel; assigning finds that one of its reviewers works for
  // the buyer of his contract, and gives him three others.
  const staffing = page.locator(".staffing");
  const chenStaff = staffing.locator("tr").filter({ hasText: "陈晓明" });
  await chenStaff.getByLabel("评审组").selectOption({ label: "P1 技术转移运营服务组" });
  await chenStaff.getByRole("button", { name: "分组" }).click();
  await staffing.getByRole("button", { name: "自动分配评审专家" }).click();
  await expect(chenStaff.getByText("所在单位为合同当事方")).toBeVisible();
  await expect(chenStaff.locator(".reviewers")).toContainText("马建华");

  // The reviewer sees the assignment on 评审任务.
  const reviewer = await as(browser, "reviewer");
  await reviewer.page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "评审任务" }).click();
  await expect(reviewer.page.locator(".queue__item").filter({ hasText: "陈晓明" })).toBeVisible();

  // The secretariat locks the recusals: the expert review begins.
  await chenStaff.getByRole("button", { name: "锁定回避，开始专家评审" }).click();
  await expect(chen.locator(".queue__head [data-state='expert_review']")).toBeVisible();
  // Now the reviewer opens the dossier from their tasks.
  await reviewer.page.reload();
  const task = reviewer.page.locator(".queue__item").filter({ hasText: "陈晓明" });
  await task.getByRole("link", { name: "申报材料" }).click();
  await expect(reviewer.page.getByText("一种高通量蛋白表达平台技术转让")).toBeVisible();

  // The dossier is printable and shows its digest.
  await chen.getByRole("link", { name: "申报材料" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "申报材料" })).toBeVisible();
  await expect(page.getByText(/材料摘要（SHA-256）/)).toBeVisible();
  await expect(page.getByText("一种高通量蛋白表达平台技术转让")).toBeVisible();
  const dossierUrl = page.url();

  // The candidates see their decisions; nobody else's dossier opens.
  const zhaoCandidate = await as(browser, "candidate3");
  page = zhaoCandidate.page;
  await page.goto("/title");
  await expect(page.locator(".application__head [data-state='not_accepted']")).toHaveText("不予受理");
  await page.getByText("办理记录").click();
  await expect(page.getByText("取得中级职称后需满 5 年").first()).toBeVisible();
  await page.goto(dossierUrl);
  await expect(page.getByText("一种高通量蛋白表达平台技术转让")).toHaveCount(0);
  await expect(page.getByRole("alert").filter({ hasText: "未找到该记录。" })).toBeVisible();

  for (const who of [trainee, unit, secretary, reviewer, zhaoCandidate]) {
    expect(who.errors.filter((e) => !e.includes("404"))).toEqual([]);
  }
});

test("reviewers score independently and the secretariat ends the expert review", async ({ browser }) => {
  // Four people sign in and out of the same session: more than the default half minute.
  test.setTimeout(120_000);
  // Continues the session above: 陈晓明 is in expert review with three of P1's reviewers.
  const secretary = await as(browser, "secretary");
  let page = secretary.page;
  await page.goto("/review");
  await page.getByRole("link", { name: "2026-SH-TT" }).click();
  await hydrated(page);
  // The session's own dates: scoring starts in weeks, the meeting after it. Nobody scores or
  // meets early unless the secretariat moves the dates, with a reason the chair reads.
  await expect(page.locator("[data-phase]").nth(1)).toHaveAttribute("data-phase", "notyet");
  await expect(page.locator("[data-meeting-due]")).toHaveAttribute("data-meeting-due", "false");
  const changes = page.locator(".schedule-changes");
  await changes.locator("summary").filter({ hasText: "调整日程" }).click();
  await changes.getByLabel("评审会议日期").fill(chinaDay(0));
  await changes.getByLabel("调整理由").fill("申报已全部受理，经主任委员同意，评审与会议提前到今天");
  await changes.getByRole("button", { name: "保存日程调整" }).click();
  await expect(changes.getByText("日期顺序不对", { exact: false }).first()).toBeVisible();
  await changes.getByLabel("申报截止").fill(chinaDay(-1));
  await changes.getByLabel("评分开始").fill(chinaDay(0));
  await changes.getByLabel("评分截止").fill(chinaDay(0));
  await changes.getByRole("button", { name: "保存日程调整" }).click();
  await expect(changes.locator("[data-schedule-change]")).toContainText("评分开始");
  await expect(changes.locator("[data-schedule-change]")).toContainText("经主任委员同意");
  await expect(page.locator("[data-phase]").nth(1)).toHaveAttribute("data-phase", "open");
  await expect(page.locator("[data-meeting-due]")).toHaveAttribute("data-meeting-due", "true");
  const progress = page.locator(".scoring .queue__item").filter({ hasText: "陈晓明" });
  await expect(page.getByRole("heading", { name: "评分进度" })).toBeVisible();
  await expect(progress.locator("[data-submitted='false']")).toHaveCount(3);
  // The demo session holds a defense (答辩): the secretariat schedules 陈晓明's for this
  // morning; a time past the scoring period is refused on its field.
  await expect(page.locator("[data-defense='on']")).toHaveText("满分 100，合格线 60");
  await progress.getByLabel("答辩时间").fill("2099-01-01T09:00");
  await progress.getByLabel("答辩地点").fill("第一会议室");
  await progress.getByRole("button", { name: "安排答辩" }).click();
  await expect(page.getByText("答辩须安排在评分期最后一天之前（含当天）。")).toBeVisible();
  await scheduleDefense(page, "陈晓明", "08:00", "第一会议室");

  // Who was assigned: three of the four P1 reviewers without a conflict.
  const candidates = ["reviewer", "reviewer02", "reviewer03", "reviewer05"];
  const assigned = [];
  for (const login of candidates) {
    const r = await as(browser, login);
    await r.page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "评审任务" }).click();
    await expect(r.page.locator("ul.queue, p.empty").first()).toBeVisible();
    if ((await r.page.locator(".queue__item").filter({ hasText: "陈晓明" }).count()) === 1) {
      assigned.push(r);
    } else {
      await r.page.context().close();
    }
  }
  expect(assigned).toHaveLength(3);
  const [first, second, third] = assigned;

  async function score(r, points, recommendation, comment, defense) {
    const task = r.page.locator(".queue__item").filter({ hasText: "陈晓明" });
    await expect(task.getByText(/评分截止 \d{4}-\d{2}-\d{2}/)).toBeVisible();
    await task.getByRole("link", { name: "评分表" }).click();
    await expect(r.page.getByRole("heading", { level: 1, name: "评分表" })).toBeVisible();
    await hydrated(r.page);
    await expect(r.page.getByText("提交自己的评分后（或评分期结束后）才能查看其他专家的评分。")).toBeVisible();
    const labels = ["复杂度与规模", "个人贡献", "专业方法", "成果与影响", "反思与可复制性"];
    for (let i = 0; i < labels.length; i++) {
      await r.page.getByLabel(new RegExp(`^${labels[i]}`)).fill(String(points[i]));
    }
    await r.page.getByLabel(recommendation, { exact: true }).check();
    await r.page.getByLabel("评审意见").fill(comment);
    await r.page.getByRole("button", { name: "提交评分" }).click();
    await expect(r.page.getByRole("heading", { name: "我的评分" })).toBeVisible();
    await expect(r.page.locator("[data-total]").first()).toHaveText(String(points.reduce((a, b) => a + b)));
    // The defense, held this morning, is scored on the same page, once.
    await expect(r.page.locator(".defense")).toContainText("08:00 · 第一会议室");
    await scoreDefense(r.page, defense, "陈述清楚，回答问题准确。");
    await expect(r.page.getByRole("heading", { name: "我的答辩评分" })).toBeVisible();
  }

  await score(first, [18, 20, 16, 22, 8], "建议通过", "案例完整，个人贡献有单位证明。", 85);
  await expect(first.page.getByText("尚无评分")).toBeVisible();
  // The second reviewer sees the first's sheet only after submitting their own.
  await score(second, [14, 18, 12, 15, 6], "中立", "估值方法说明不足。", 72);
  await expect(second.page.locator("[data-total='84']")).toBeVisible();
  await expect(second.page.locator("table.sheets th", { hasText: "专家 1" })).toBeVisible();
  // Likewise the first reviewer's defense score, without a name.
  await expect(second.page.locator(".defense-scores tbody tr", { hasText: "专家 1" }).locator("[data-defense-score]")).toHaveText("85");

  // Two of three: the review cannot end yet; the secretariat reminds the third reviewer.
  await page.reload();
  await hydrated(page);
  await expect(progress.locator("[data-submitted='true']")).toHaveCount(2);
  await progress.getByRole("button", { name: "结束专家评审" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "评分表少于规定份数" })).toBeVisible();
  await progress.getByRole("button", { name: "提醒" }).click();
  await expect(progress.getByText(/已提醒 \d{4}-\d{2}-\d{2}/)).toBeVisible();

  // The third reviewer sees the reminder, scores, and now sees the panel's mean.
  await third.page.reload();
  await hydrated(third.page);
  const task = third.page.locator(".queue__item").filter({ hasText: "陈晓明" });
  await expect(task.getByText("秘书处已提醒")).toBeVisible();
  await task.getByRole("link", { name: "评分表" }).click();
  await expect(third.page.getByText(/秘书处已于 .* 提醒您完成评分/)).toBeVisible();
  await third.page.goto("/expert");
  await hydrated(third.page);
  await score(third, [16, 19, 15, 20, 9], "建议通过", "同意推荐。", 80);
  await expect(third.page.locator(".aggregate")).toContainText("平均分：76.0");
  await expect(third.page.locator(".aggregate")).toContainText("3 份评分");
  // (85 + 72 + 80) / 3 = 79.0, above the pass mark.
  await expect(third.page.locator(".defense .defense-line")).toContainText("答辩均分：79.0");
  await expect(third.page.locator(".defense .defense-line")).toContainText("达到合格线 60");

  // The secretariat ends the expert review: 陈晓明 awaits the committee's vote.
  await page.reload();
  await hydrated(page);
  await expect(progress.locator("[data-case-quality]")).toHaveText("76.0");
  await expect(progress.locator("[data-defense-mean]")).toHaveAttribute("data-defense-mean", "79.0");
  await expect(progress.locator("[data-defense-score]")).toHaveCount(3);
  await progress.getByRole("button", { name: "结束专家评审" }).click();
  await expect(page.locator(".session-applications > .queue__item").filter({ hasText: "陈晓明" }).locator("[data-state='awaiting_vote']")).toBeVisible();

  // The refusals above (a defense after the scoring period: 422; too few sheets: 409) are
  // expected; nothing else may fail.
  for (const [i, who] of [secretary, ...assigned].entries()) {
    expect(who.errors.filter((e) => !e.includes("404") && !e.includes("409") && !e.includes("422")), `page ${i}`).toEqual([]);
  }
});

test("the committee meets, votes in secret, and the chair certifies one pass and one fail", async ({ browser }) => {
  // Thirteen members sign in to vote: a long walk.
  test.setTimeout(300_000);
  // 林静 answers the supplement request; the secretariat accepts her and staffs her review.
  const lin = await as(browser, "candidate2");
  await lin.page.goto("/title");
  await lin.page.getByRole("button", { name: "已补充，重新封存材料" }).click();
  await expect(lin.page.locator(".application__head [data-state='formal_check']")).toBeVisible();

  const secretary = await as(browser, "secretary");
  const page = secretary.page;
  await page.goto("/review");
  await page.getByRole("link", { name: "2026-SH-TT" }).click();
  const linRow = page.locator(".session-applications > .queue__item").filter({ hasText: "林静" });
  await linRow.getByRole("button", { name: "受理", exact: true }).click();
  await expect(linRow.locator(".queue__head [data-state='panel_assigned']")).toBeVisible();
  const linStaff = page.locator(".staffing tr").filter({ hasText: "林静" });
  await linStaff.getByLabel("评审组").selectOption({ label: "P1 技术转移运营服务组" });
  await linStaff.getByRole("button", { name: "分组" }).click();
  await page.locator(".staffing").getByRole("button", { name: "自动分配评审专家" }).click();
  await expect(linStaff.locator(".reviewers")).not.toBeEmpty();
  await linStaff.getByRole("button", { name: "锁定回避，开始专家评审" }).click();
  await expect(linRow.locator(".queue__head [data-state='expert_review']")).toBeVisible();
  await scheduleDefense(page, "林静", "10:30", "第二会议室");

  // Her three reviewers score her case and her defense (from their tasks), and the
  // secretariat ends her review.
  let scored = 0;
  for (const login of ["reviewer", "reviewer02", "reviewer03", "reviewer05"]) {
    const r = await as(browser, login);
    await r.page.goto("/expert");
    await expect(r.page.locator("ul.queue, p.empty").first()).toBeVisible();
    const task = r.page.locator(".queue__item").filter({ hasText: "林静" });
    if ((await task.count()) === 1) {
      await expect(task.locator("[data-defense-at]")).toContainText("10:30 · 第二会议室");
      await expect(task.getByText("答辩待评分")).toBeVisible();
      await task.getByRole("link", { name: "评分表" }).click();
      for (const [label, points] of [["复杂度与规模", 10], ["成果与影响", 12], ["个人贡献", 12], ["专业方法", 10], ["反思与可复制性", 5]]) {
        await r.page.getByLabel(new RegExp(`^${label}`)).fill(String(points));
      }
      await r.page.getByLabel("不建议通过", { exact: true }).check();
      await r.page.getByRole("button", { name: "提交评分" }).click();
      await expect(r.page.getByRole("heading", { name: "我的评分" })).toBeVisible();
      await scoreDefense(r.page, 50, "");
      scored++;
    }
    await r.page.context().close();
  }
  expect(scored).toBe(3);
  await page.reload();
  await page.locator(".scoring .queue__item").filter({ hasText: "林静" }).getByRole("button", { name: "结束专家评审" }).click();
  await expect(linRow.locator("[data-state='awaiting_vote']")).toBeVisible();

  // The meeting: thirteen members sit (the chair and twelve reviewers), all present.
  const meeting = page.locator(".meeting");
  await expect(meeting.getByText("待表决：陈晓明、林静")).toBeVisible();
  await expect(meeting.locator("tr[data-member]")).toHaveCount(13);
  await expect(meeting.getByRole("button", { name: "开会并开始表决" })).toBeVisible();
  // The chair, who presides, opens it (the secretariat could too).
  const presiding = await as(browser, "chair");
  await presiding.page.goto(page.url());
  const chairsView = presiding.page.locator(".meeting");
  // The chair reads why the dates moved.
  await expect(presiding.page.locator(".schedule-changes [data-schedule-change]")).toContainText("经主任委员同意");
  await expect(presiding.page.locator(".schedule-changes form")).toHaveCount(0);
  await expect(chairsView.locator("tr[data-member]")).toHaveCount(13);
  await chairsView.getByRole("button", { name: "开会并开始表决" }).click();
  await expect(chairsView.getByText(/出席 13 \/ 13 人/)).toBeVisible();
  expect(presiding.errors).toEqual([]);
  await presiding.page.context().close();
  await page.reload();
  await expect(meeting.getByText(/出席 13 \/ 13 人/)).toBeVisible();
  const chenBallot = meeting.locator(".queue__item").filter({ hasText: "陈晓明" });
  const linBallot = meeting.locator(".queue__item").filter({ hasText: "林静" });
  // Beside the panel's mean, each defense's: 林静's 50.0 is below the pass mark.
  await expect(chenBallot.locator("[data-defense-mean]")).toHaveAttribute("data-passes", "true");
  await expect(linBallot.locator("[data-defense-mean]")).toHaveAttribute("data-defense-mean", "50.0");
  await expect(linBallot.locator("[data-defense-mean]")).toHaveAttribute("data-passes", "false");
  // The whole committee is checked again: 刘霞 (P1) and 胡秀英 (P2) work for the licensee of
  // 陈晓明's contract and are recused from him (listed by name, in pinyin order); eleven vote on
  // him, thirteen on 林静.
  await expect(chenBallot.getByText("胡秀英、刘霞")).toBeVisible();
  await expect(chenBallot.locator("[data-voted]")).toHaveText("0 / 11");
  await expect(linBallot.locator("[data-voted]")).toHaveText("0 / 13");

  // Every member votes on their own device. 陈晓明: 8 yes, 2 no, 1 abstain (24 ≥ 22, exactly
  // enough); 林静: 5 yes, 7 no, 1 abstain (15 < 26).
  const members = ["chair", "reviewer", ...Array.from({ length: 11 }, (_, i) => `reviewer${String(i + 2).padStart(2, "0")}`)];
  let chenVotes = 0;
  let receipt = "";
  for (const [i, login] of members.entries()) {
    const m = await as(browser, login);
    await m.page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "会议投票" }).click();
    await expect(m.page.getByRole("heading", { level: 1, name: "会议投票" })).toBeVisible();
    const chen = m.page.locator(".queue__item").filter({ hasText: "陈晓明" });
    if (login === "reviewer04" || login === "reviewer12") {
      await expect(chen.getByText("回避")).toBeVisible();
    } else {
      const choice = chenVotes < 8 ? "赞成" : chenVotes < 10 ? "反对" : "弃权";
      await chen.getByRole("button", { name: choice, exact: true }).click();
      await expect(chen.locator("[data-voted='true']")).toBeVisible();
      chenVotes++;
    }
    const linItem = m.page.locator(".queue__item").filter({ hasText: "林静" });
    const linChoice = i < 5 ? "赞成" : i < 12 ? "反对" : "弃权";
    // The choice is encrypted in this browser (the page's own script): the request carries
    // only the ballot, never the word chosen.
    const sent = m.page.waitForRequest((r) => r.url().includes("/api/cast_vote"));
    await linItem.getByRole("button", { name: linChoice, exact: true }).click();
    const body = (await sent).postData() ?? "";
    expect(body).toContain("ballot=");
    expect(body).not.toMatch(/(^|&)choice=/);
    expect(decodeURIComponent(body)).not.toMatch(/"(yes|no|abstain)"/);
    await expect(linItem.locator("[data-voted='true']")).toBeVisible();
    // The receipt the browser computed before sending stays on the page.
    await expect(linItem.locator("[data-receipt]")).toHaveText(/^[0-9a-f]{64}$/);
    if (i === 0) receipt = (await linItem.locator("[data-receipt]").textContent()) ?? "";
    // After voting, the page shows that they voted, never how.
    await expect(m.page.getByRole("button", { name: "赞成" })).toHaveCount(0);
    expect(m.errors.filter((e) => !e.includes("404"))).toEqual([]);
    await m.page.context().close();
  }

  // Nobody knows the tallies until the chair certifies: only then are the sums decrypted.
  await page.reload();
  await expect(chenBallot.locator("[data-voted]")).toHaveText("11 / 11");
  await expect(chenBallot.locator("[data-tally]")).toHaveCount(0);
  await expect(linBallot.locator("[data-tally]")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "确认计票结果" })).toHaveCount(0);
  const chair = await as(browser, "chair");
  await chair.page.goto(page.url());
  const chairMeeting = chair.page.locator(".meeting");
  for (const name of ["陈晓明", "林静"]) {
    await chairMeeting.locator(".queue__item").filter({ hasText: name }).getByRole("button", { name: "确认计票结果" }).click();
  }
  const chenCounted = chairMeeting.locator(".queue__item").filter({ hasText: "陈晓明" });
  const linCounted = chairMeeting.locator(".queue__item").filter({ hasText: "林静" });
  await expect(chenCounted.locator("[data-state='passed_pending_notice']")).toBeVisible();
  await expect(linCounted.locator("[data-state='not_passed']")).toBeVisible();
  await expect(chenCounted.locator("[data-tally]")).toHaveAttribute("data-tally", "8-2-1");
  await expect(linCounted.locator("[data-tally]")).toHaveAttribute("data-tally", "5-7-1");
  await expect(chenCounted.getByText("通过", { exact: true })).toBeVisible();

  // Every candidate counted: the bulletin board opens, rechecks every proof from itself, and
  // a member finds their receipt on it.
  await chairMeeting.getByRole("link", { name: "查看投票公告板" }).click();
  await expect(chair.page.getByRole("heading", { level: 1, name: "投票公告板" })).toBeVisible();
  await expect(chair.page.locator("[data-board-verified='true']")).toBeVisible();
  await expect(chair.page.locator("section[data-application]").filter({ hasText: "陈晓明" }).locator("[data-tally]")).toHaveAttribute("data-tally", "8-2-1");
  await hydrated(chair.page);
  await chair.page.getByLabel("您的回执").fill(receipt);
  await chair.page.getByRole("button", { name: "核对回执" }).click();
  await expect(chair.page.locator("[data-receipt-found='true']")).toBeVisible();
  await chair.page.getByLabel("您的回执").fill("0".repeat(64));
  await chair.page.getByRole("button", { name: "核对回执" }).click();
  await expect(chair.page.locator("[data-receipt-found='false']")).toBeVisible();

  // The candidates see their results.
  await lin.page.reload();
  await expect(lin.page.locator(".application__head [data-state='not_passed']")).toBeVisible();
  for (const who of [secretary, chair, lin]) {
    expect(who.errors.filter((e) => !e.includes("404"))).toEqual([]);
  }
});

test("results go on public notice, anyone may object, the secretariat resolves; a candidate appeals", async ({ browser }) => {
  test.setTimeout(120_000);
  // The secretariat publishes the passed candidate; the notice starts today.
  const secretary = await as(browser, "secretary");
  const page = secretary.page;
  await page.goto("/review");
  await page.getByRole("link", { name: "2026-SH-TT" }).click();
  const results = page.locator(".result-notice");
  await expect(results.getByText("表决通过、待公示：陈晓明")).toBeVisible();
  await results.getByRole("button", { name: "发布结果公示" }).click();
  await expect(results.locator("li[data-application]").filter({ hasText: "陈晓明" }).getByText("公示中")).toBeVisible();

  // Anyone, without signing in, reads the notice and objects with a way to be reached.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  const visitorErrors = watchErrors(visitor);
  await visitor.goto("/login");
  await visitor.getByRole("link", { name: "公示与证书查询" }).first().click();
  await expect(visitor.getByRole("heading", { level: 1, name: "评审结果公示" })).toBeVisible();
  await hydrated(visitor);
  const row = visitor.locator("tr[data-application]").filter({ hasText: "陈晓明" });
  await expect(row.getByText("公示中")).toBeVisible();
  await expect(visitor.locator("tr[data-application]").filter({ hasText: "林静" })).toHaveCount(0);
  const form = visitor.locator("#objection");
  const about = await form.locator("option", { hasText: "陈晓明" }).getAttribute("value");
  await form.getByLabel("异议对象").selectOption(about!);
  await form.getByLabel("您的姓名").fill("王五");
  await form.getByLabel("联系电话或电子邮箱").fill("找我");
  await form.getByLabel("异议内容").fill("合同登记金额与申报不符");
  await form.getByRole("button", { name: "提交异议" }).click();
  await expect(form.getByText("请填写有效的电话号码或电子邮箱。")).toBeVisible();
  await form.getByLabel("联系电话或电子邮箱").fill("139 1234 5678");
  await form.getByRole("button", { name: "提交异议" }).click();
  await expect(form.getByText("异议已收到")).toBeVisible();
  await expect(row.getByText("异议核查中")).toBeVisible();
  // An unknown certificate number finds nothing.
  await visitor.getByPlaceholder("证书编号").fill("2026-SH-TT-0001");
  await visitor.getByRole("button", { name: "查询" }).click();
  await expect(visitor.locator("[data-certificate='none']")).toContainText("未找到编号为 2026-SH-TT-0001 的证书");
  // (The 422 is the refused contact.)
  expect(visitorErrors.filter((e) => !e.includes("422"))).toEqual([]);

  // The secretariat sees the contact masked, reveals it (audited) and dismisses the objection.
  await page.reload();
  await hydrated(page);
  const objection = results.locator("[data-objection]");
  await expect(objection.locator(".contact")).toHaveText("139****5678");
  await objection.getByRole("button", { name: "显示联系方式" }).click();
  await expect(objection.locator(".contact")).toHaveText("13912345678");
  const dismiss = objection.locator("form.decision").filter({ has: page.getByRole("button", { name: "异议不成立，继续公示" }) });
  await dismiss.getByPlaceholder("理由（申报人可见）").fill("经核查，技术合同登记金额与申报一致");
  await dismiss.getByRole("button", { name: "异议不成立，继续公示" }).click();
  await expect(objection.getByText("异议不成立", { exact: true })).toBeVisible();
  await expect(results.locator("li[data-application]").filter({ hasText: "陈晓明" }).getByText("公示中")).toBeVisible();

  // 林静 appeals the failed ballot; the secretariat keeps the decision, with its reason.
  const lin = await as(browser, "candidate2");
  await lin.page.goto("/title");
  await lin.page.getByText("申请复查", { exact: true }).click();
  await lin.page.getByLabel("复查理由").fill("评审中未充分考虑本人主导的三项许可合同");
  await lin.page.getByRole("button", { name: "提交复查申请" }).click();
  await expect(lin.page.locator(".application__head [data-state='appeal_review_not_passed']")).toBeVisible();
  await page.reload();
  const appeal = results.locator("[data-appeal]").filter({ hasText: "林静" });
  await expect(appeal.getByText("评审中未充分考虑本人主导的三项许可合同")).toBeVisible();
  const keep = appeal.locator("form.decision").filter({ has: page.getByRole("button", { name: "维持原决定" }) });
  await keep.getByPlaceholder("理由（申报人可见）").fill("评审程序合规，表决结果有效");
  await keep.getByRole("button", { name: "维持原决定" }).click();
  await expect(results.locator("[data-appeal]")).toHaveCount(0);
  await lin.page.reload();
  await expect(lin.page.locator(".application__head [data-state='not_passed']")).toBeVisible();
  await expect(lin.page.getByText("申请复查", { exact: true })).toHaveCount(0);

  // The outputs: the overview, the meeting record to print and sign, the results workbook.
  await page.reload();
  await expect(page.locator("[data-count='objections']")).toHaveText("0");
  await expect(page.locator("[data-count='appeals']")).toHaveText("0");
  await page.getByRole("link", { name: "会议记录表（打印）" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "评审会议记录表" })).toBeVisible();
  const sheet = page.locator(".record");
  await expect(sheet.locator("tr[data-application]").filter({ hasText: "陈晓明" })).toHaveAttribute("data-tally", "8-2-1");
  await expect(sheet.locator("tr[data-application]").filter({ hasText: "林静" })).toHaveAttribute("data-tally", "5-7-1");
  await expect(sheet.locator("tr[data-application]").filter({ hasText: "陈晓明" }).locator("[data-defense-mean]")).toHaveAttribute("data-defense-mean", "79.0");
  await expect(sheet.locator(".recusals")).toContainText("刘霞");
  await expect(sheet.locator(".recusals")).toContainText("胡秀英");
  await expect(sheet.locator("[data-present]")).toHaveText("13 / 13 人");
  await expect(sheet.locator("[data-seal]")).toHaveText(/^[0-9a-f]{64}$/);
  const download = page.waitForEvent("download");
  await sheet.getByRole("link", { name: "评审结果（Excel）" }).click();
  expect((await download).suggestedFilename()).toBe("2026-SH-TT-results.xlsx");

  // The human-resources authority has nothing to confirm until the notice has run its days.
  const hrss = await as(browser, "hrss");
  await hrss.page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "结果确认" }).click();
  await expect(hrss.page.getByRole("heading", { level: 1, name: "人社部门审核确认" })).toBeVisible();
  await expect(hrss.page.getByText("暂无待确认的评审结果。")).toBeVisible();

  // Misconduct found later: the secretariat revokes 陈晓明's result, with the reason, which
  // his page then shows in its history.
  await page.getByRole("link", { name: "返回评审批次" }).click();
  await hydrated(page);
  const chenRow = page.locator(".session-applications > .queue__item").filter({ hasText: "陈晓明" });
  await chenRow.getByText("撤销（查实弄虚作假）").click();
  await chenRow.getByLabel("撤销理由（记入办理记录，申报人可见）").fill("查实业绩材料系伪造");
  await chenRow.getByRole("button", { name: "确认撤销" }).click();
  await expect(chenRow.locator(".queue__head [data-state='revoked']")).toHaveText("已撤销");
  await expect(chenRow.getByText("撤销（查实弄虚作假）")).toHaveCount(0);
  const chenself = await as(browser, "candidate1");
  await chenself.page.goto("/title");
  await expect(chenself.page.locator(".application__head [data-state='revoked']")).toBeVisible();
  await chenself.page.getByText("办理记录").click();
  await expect(chenself.page.getByText("查实业绩材料系伪造")).toBeVisible();
  for (const who of [secretary, lin, hrss, chenself]) {
    expect(who.errors.filter((e) => !e.includes("404"))).toEqual([]);
  }
});
