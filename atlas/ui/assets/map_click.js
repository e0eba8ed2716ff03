// A click on a deck.gl map, taken from what the hover already picked. deck.gl picks again on
// pointer-down and takes the click as a tap only if pointer-up follows within 250 ms: on a software
// renderer the pick of a national view outlasts that, and the click was lost. Here a press and release
// without a drag sends the feature the tooltip names, if deck.gl placed the tooltip at the pointer
// (so it names what is under it, not what was under it before).
export default function ({ setTriggerValue }) {
  const VALUE = /^[ab]v([A-Za-z0-9_]+)$/; // the tooltip's value span: av<code> (layers.name_tooltip)
  const NEAR = 4; // px: further than this, the tooltip is from an earlier hover
  let down = null;
  const chartOf = (event) =>
    event.target instanceof Element ? event.target.closest('[data-testid="stDeckGlJsonChart"]') : null;
  const named = (chart, x, y) => {
    const tip = chart.querySelector(".deck-tooltip");
    if (!tip || tip.style.display !== "block") return null;
    const box = tip.getBoundingClientRect();
    if (Math.abs(box.left - x) > NEAR || Math.abs(box.top - y) > NEAR) return null;
    const span = [...tip.querySelectorAll("span")].find((s) => VALUE.test(s.className));
    return span ? VALUE.exec(span.className)[1] : null;
  };
  const onDown = (event) => {
    const chart = chartOf(event);
    down = chart && event.button === 0 ? { chart, x: event.clientX, y: event.clientY } : null;
  };
  const onUp = (event) => {
    const start = down;
    down = null;
    if (!start || chartOf(event) !== start.chart) return;
    if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > NEAR) return; // a drag
    const code = named(start.chart, event.clientX, event.clientY);
    if (code) setTriggerValue("pick", code);
  };
  document.addEventListener("pointerdown", onDown, true);
  document.addEventListener("pointerup", onUp, true);
  return () => {
    document.removeEventListener("pointerdown", onDown, true);
    document.removeEventListener("pointerup", onUp, true);
  };
}
