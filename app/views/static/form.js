/* One runner's form guide (the runner_form tool's result), shown under its row. */
const STAT_LABELS = {
  career: "Career", track: "Track", distance: "Distance", track_distance: "Track & dist",
  good: "Good", soft: "Soft", heavy: "Heavy", firm: "Firm", first_up: "1st up", second_up: "2nd up",
};

function formPanel(result) {
  if (!result || result.isError) return notice(errorText(result), "error");
  const runner = result.structuredContent && result.structuredContent.runner;
  if (!runner) return notice("No form came back for this runner.", "error");
  const breeding = runner.sire && runner.dam ? `${runner.sire} × ${runner.dam}` : null;
  const about = [runner.age ? `${runner.age}yo` : null, runner.sex, breeding].filter(Boolean).join(" · ");
  const facts = [
    runner.last20 ? `Last 20: ${runner.last20}` : null,
    num(runner.days_since_run) !== null ? `${runner.days_since_run} days since last run` : null,
    runner.prize_money ? `Prize money ${runner.prize_money}` : null,
  ].filter(Boolean).join(" · ");
  const stats = Object.entries(runner.stats || {}).map(([key, value]) =>
    el("div", { class: "stat" }, el("span", { class: "muted", text: STAT_LABELS[key] || key }),
      el("strong", { text: value })));
  return el("div", { class: "form", "data-runner": runner.number },
    el("p", { class: "form-title" }, el("strong", { text: `${runner.number}. ${runner.name}` }),
      about ? ` · ${about}` : ""),
    facts ? el("p", { class: "muted", text: facts }) : null,
    stats.length ? el("div", { class: "stats" }, stats) : null,
    recentStarts(runner.recent || []),
    runner.comment ? el("p", { class: "comment", text: runner.comment }) : null);
}

function recentStarts(starts) {
  if (!starts.length) return null;
  const head = ["Date", "Venue", "Pos", "Dist", "Class", "Margin", "SP", "Track"];
  return el("div", { class: "scroll" }, el("table", { class: "starts" },
    el("thead", {}, el("tr", {}, head.map((text) => el("th", { text })))),
    el("tbody", {}, starts.map((start) => el("tr", {},
      [start.date, start.venue, start.position, start.distance_m ? `${start.distance_m}m` : "",
        start.race_class, start.margin, start.odds ? price(Number(start.odds)) : "", start.track]
        .map((value) => el("td", { text: value ?? "" })))))));
}
