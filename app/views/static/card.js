/* The race card view: header with countdown, sortable runners, prices, movement, form. */
const SORTS = {
  number: { label: "No.", key: (r) => r.number },
  price: { label: "Price", key: (r) => (r.scratched ? null : num(r.fixed_win)) },
  barrier: { label: "Barrier", key: (r) => num(r.barrier) },
};

function renderCard(root, card, context, back) {
  const state = { sort: "number", descending: false, open: new Map() };
  const body = el("tbody");
  const sorter = el("div", { class: "sorter", role: "group", "aria-label": "Sort runners" },
    el("span", { class: "muted", text: "Sort" }),
    Object.entries(SORTS).map(([name, sort]) => el("button", {
      type: "button", "data-sort": name, text: sort.label,
      onclick: () => {
        state.descending = state.sort === name ? !state.descending : false;
        state.sort = name;
        draw();
      },
    })));

  function draw() {
    const { key } = SORTS[state.sort];
    const sign = state.descending ? -1 : 1;
    const runners = card.runners.slice().sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x === null || y === null) return (x === null) - (y === null) || a.number - b.number;
      return sign * (x - y) || a.number - b.number;
    });
    for (const button of sorter.querySelectorAll("button")) {
      const active = button.dataset.sort === state.sort;
      button.setAttribute("aria-pressed", String(active));
      button.dataset.direction = active ? (state.descending ? "desc" : "asc") : "";
    }
    body.replaceChildren(...runners.flatMap((runner) => runnerRows(card, runner, state.open)));
  }

  draw();
  clear(root);
  append(root, [
    back,
    raceHeader(card, context),
    results(card),
    el("div", { class: "toolbar" }, sorter, legend()),
    el("div", { class: "scroll" }, el("table", { class: "runners" },
      el("thead", {}, el("tr", {},
        el("th", { class: "no", text: "No." }), el("th", { text: "Runner" }),
        el("th", { class: "num", text: "Bar." }),
        el("th", { class: "num", text: "Fixed W" }), el("th", { class: "num wide", text: "Fixed P" }),
        el("th", { class: "num", text: "Tote W" }), el("th", { class: "num wide", text: "Tote P" }),
        el("th", { class: "chart", text: "Move" }), el("th", { class: "num wide", text: "Win %" }))),
      body))]);
  startCountdown(root, card, context);
}

function runnerRows(card, runner, open) {
  const history = priceHistory(runner.fixed_open, runner.flucs, runner.fixed_win);
  const move = num(runner.move_pct);
  const label = history.length > 1
    ? `${runner.name}: ${history.map(price).join(" → ")}` : `${runner.name}: no price movement`;
  const row = el("tr", {
    class: ["runner", runner.scratched ? "scratched" : "", runner.favourite ? "fav" : ""].join(" "),
    "data-number": runner.number,
  },
  el("td", { class: "no" }, el("span", { class: "saddle", text: runner.number })),
  el("td", { class: "name" },
    el("button", {
      type: "button", class: "runner-link", "aria-expanded": String(open.has(runner.number)),
      title: `Show ${runner.name}'s form`, onclick: () => toggleForm(card, runner, row, open),
    }, runner.name),
    runner.favourite ? el("span", { class: "badge fav", text: "FAV" }) : null,
    runner.scratched ? el("span", { class: "badge scr", text: "SCR" }) : null,
    runner.emergency ? el("span", { class: "badge", text: "EM" }) : null,
    num(runner.finish) ? el("span", { class: "badge place", text: ordinal(runner.finish) }) : null,
    el("div", { class: "people muted" }, [
      runner.rider ? `J ${runner.rider}` : null,
      runner.trainer ? el("span", { class: "wide", text: ` · T ${runner.trainer}` }) : null,
      num(runner.weight) ? el("span", { class: "wide", text: ` · ${runner.weight}kg` }) : null,
      runner.last5 ? el("span", { class: "wide", text: ` · ${runner.last5}` }) : null,
    ])),
  el("td", { class: "num barrier", text: runner.barrier ?? "–" }),
  el("td", { class: "num price fixed", text: runner.scratched ? "–" : price(runner.fixed_win) }),
  el("td", { class: "num wide", text: runner.scratched ? "–" : price(runner.fixed_place) }),
  el("td", { class: "num price tote", text: runner.scratched ? "–" : price(runner.tote_win) }),
  el("td", { class: "num wide", text: runner.scratched ? "–" : price(runner.tote_place) }),
  el("td", { class: "chart" }, movementChart(history, label),
    el("span", { class: `move ${move === null ? "" : move < 0 ? "firm" : "drift"}`,
      text: move === null ? "" : percent(move, true) })),
  el("td", { class: "num wide", text: percent(runner.win_prob_pct) }));
  return open.has(runner.number) ? [row, open.get(runner.number)] : [row];
}

async function toggleForm(card, runner, row, open) {
  const button = row.querySelector(".runner-link");
  if (open.has(runner.number)) {
    open.get(runner.number).remove();
    open.delete(runner.number);
    button.setAttribute("aria-expanded", "false");
    return;
  }
  const cell = el("td", { colspan: 9 }, notice(`Loading ${runner.name}'s form…`));
  const formRow = el("tr", { class: "form-row", "data-form-for": runner.number }, cell);
  open.set(runner.number, formRow);
  row.after(formRow);
  button.setAttribute("aria-expanded", "true");
  const args = {
    venue: card.venue_code || card.venue, race_number: card.race_number,
    runner_number: runner.number,
  };
  if (card.date) args.date = card.date;
  if (card.race_type) args.race_type = card.race_type;
  let panel;
  try {
    panel = formPanel(await Bridge.callTool("runner_form", args));
  } catch (error) {
    panel = notice(`Could not load the form: ${error.message}`, "error");
  }
  cell.replaceChildren(panel);
}

function raceHeader(card, context) {
  const facts = [
    card.distance_m ? `${card.distance_m}m` : null, card.race_class, card.prize_money,
    card.track ? `Track ${card.track}` : null, card.weather,
  ].filter(Boolean).join(" · ");
  const market = [
    num(card.market_pct) !== null ? `Market ${card.market_pct.toFixed(1)}%` : null,
    num(card.favourite) !== null ? `Favourite No. ${card.favourite}` : null,
    num((card.pools || {}).Win) !== null ? `Win pool $${Math.round(card.pools.Win).toLocaleString("en-AU")}` : null,
  ].filter(Boolean);
  return el("header", { class: "race" },
    el("div", { class: "title-row" },
      el("h1", {}, el("span", { class: "race-no", text: `R${card.race_number}` }),
        ` ${card.venue} `, el("span", { class: "muted", text: card.name })),
      el("span", { class: `status ${String(card.status).toLowerCase()}`, text: card.status })),
    facts ? el("p", { class: "muted facts", text: facts }) : null,
    el("p", { class: "jump" }, el("strong", { class: "countdown", text: "" }),
      el("span", { class: "jump-times muted", text: jumpTimes(card, context) })),
    market.length ? el("p", { class: "market" }, market.map((text) => el("span", { class: "chip", text }))) : null);
}

function jumpTimes(card, context) {
  const start = card.start_utc ? new Date(card.start_utc) : null;
  if (!start || Number.isNaN(start.getTime())) return "";
  const at = (timeZone) => {
    try {
      return new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone }).format(start);
    } catch {
      return null;
    }
  };
  const yours = at(context.timeZone);
  const venue = at(card.timezone);
  const parts = [yours ? `${yours} your time` : null,
    venue && card.timezone !== context.timeZone ? `${venue} at ${card.venue} (${card.timezone})` : null];
  return parts.filter(Boolean).join(" · ");
}

function countdownText(card, now) {
  if (card.status && card.status !== "Normal") return card.status === "Paying" ? "Resulted" : card.status;
  const start = card.start_utc ? new Date(card.start_utc).getTime() : NaN;
  if (Number.isNaN(start)) return "";
  const seconds = Math.round((start - now) / 1000);
  if (seconds <= 0) return "Due to jump";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `Jumps in ${h}h ${pad(m)}m` : `Jumps in ${m}:${pad(s)}`;
}

function startCountdown(root, card, context) {
  clearInterval(context.timer);
  const target = root.querySelector(".countdown");
  const tick = () => {
    target.textContent = countdownText(card, Date.now());
  };
  tick();
  context.timer = setInterval(tick, 1000);
}

function results(card) {
  if (!Array.isArray(card.results) || !card.results.length) return null;
  const names = new Map(card.runners.map((r) => [r.number, r.name]));
  return el("p", { class: "results" }, el("strong", { text: "Result " }),
    card.results.map((group, index) => el("span", { class: "chip",
      text: `${ordinal(index + 1)} ${group.map((n) => `${n}. ${names.get(n) || "?"}`).join(" / ")}` })));
}

function legend() {
  return el("span", { class: "legend muted" },
    el("span", { class: "firm", text: "▼ firming" }), " ", el("span", { class: "drift", text: "▲ drifting" }),
    " · tap a runner for form");
}

function ordinal(n) {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th";
  return `${n}${suffix}`;
}
