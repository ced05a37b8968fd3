/* The market movers view: firmers and drifters charted per race, each opening its card. */
function renderMovers(root, movers, context) {
  const everyone = [...(movers.firming || []), ...(movers.drifting || [])];
  const largest = Math.max(1, ...everyone.map((m) => Math.abs(num(m.move_pct) || 0)));
  const races = new Map();
  for (const mover of everyone) {
    const key = `${mover.venue_code || mover.venue}|${mover.race_type}|${mover.race_number}`;
    if (!races.has(key)) races.set(key, { venue: mover.venue, race_number: mover.race_number, minutes: mover.minutes_to_jump, movers: [], address: cardAddress(mover) });
    races.get(key).movers.push(mover);
  }
  const ordered = [...races.values()].sort((a, b) => (num(a.minutes) ?? 1e9) - (num(b.minutes) ?? 1e9));
  clear(root);
  clearInterval(context.timer);
  append(root, [
    el("header", { class: "race" },
      el("h1", { text: "Market movers" }),
      el("p", { class: "muted facts", text: `${movers.races_scanned} races scanned · ${(movers.firming || []).length} firming · ${(movers.drifting || []).length} drifting since open` })),
    ordered.length ? null : notice("No runner has moved that much yet."),
    el("div", { class: "race-grid" }, ordered.map((race) => raceMovers(root, race, largest, context, movers)))]);
}

function raceMovers(root, race, largest, context, movers) {
  const rows = race.movers.slice().sort((a, b) => a.move_pct - b.move_pct).map((mover) => {
    const history = priceHistory(mover.open, mover.flucs, mover.now);
    return el("li", { class: `mover ${mover.move_pct < 0 ? "firm" : "drift"}` },
      el("span", { class: "saddle", text: mover.number }),
      el("span", { class: "mover-name", text: mover.name }),
      el("span", { class: "num muted", text: `${price(mover.open)} → ${price(mover.now)}` }),
      moveBar(mover.move_pct, largest),
      el("span", { class: `move ${mover.move_pct < 0 ? "firm" : "drift"}`, text: percent(mover.move_pct, true) }),
      movementChart(history, `${mover.name}: ${history.map(price).join(" → ")}`));
  });
  const minutes = num(race.minutes);
  return el("section", { class: "movers-race", "data-race": `${race.venue} R${race.race_number}` },
    el("div", { class: "title-row" },
      el("h2", {}, el("span", { class: "race-no", text: `R${race.race_number}` }), ` ${race.venue}`,
        minutes !== null ? el("span", { class: "muted", text: minutes > 0 ? ` · ${Math.round(minutes)} min to jump` : " · jumped" }) : null),
      el("button", {
        type: "button", class: "open-card", text: "Race card ›",
        onclick: () => openCard(root, race, context, movers),
      })),
    el("ul", { class: "movers" }, rows));
}

async function openCard(root, race, context, movers) {
  clear(root);
  root.append(notice(`Loading ${race.venue} race ${race.race_number}…`));
  const back = el("button", {
    type: "button", class: "back", text: "‹ Market movers",
    onclick: () => renderMovers(root, movers, context),
  });
  let result;
  try {
    result = await Bridge.callTool("race_card", race.address);
  } catch (error) {
    result = { isError: true, content: [{ type: "text", text: error.message }] };
  }
  if (result.isError || !result.structuredContent) {
    clear(root);
    root.append(back, notice(errorText(result), "error"));
    return;
  }
  renderCard(root, result.structuredContent, context, back);
}

/* The exact race_card arguments a mover's row carries: code, type and the date Tabcorp files the
   meeting under (a US race can be filed under the previous Australian date). */
function cardAddress(mover) {
  const address = { venue: mover.venue_code || mover.venue, race_number: mover.race_number };
  if (mover.race_type) address.race_type = mover.race_type;
  if (mover.meeting_date) address.date = mover.meeting_date;
  return address;
}
