(() => {
  // The first Tab stop of every page: a link past the sidebar (its pages and filters) to the page's own
  // start: the county search on the county map, the title elsewhere. It lives outside Streamlit's tree,
  // made once and relabelled on every run. Each map canvas gets the name its chart carries (alt).
  const label = __LABEL__, target = __TARGET__;
  let link = document.getElementById("pa-skip");
  if (!link) {
    link = document.createElement("a");
    link.id = "pa-skip";
    link.className = "pa-skip";
    link.href = "#";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const to = document.querySelector(link.dataset.target) || document.querySelector('[data-testid="stMain"] h1');
      if (!to) return;
      if (!to.matches("input, textarea, button, a[href]")) to.setAttribute("tabindex", "-1");
      to.focus({ preventScroll: true });
      to.scrollIntoView({ block: "center" });
    });
    document.body.insertBefore(link, document.body.firstChild);
    const name = () => document.querySelectorAll('[data-testid="stDeckGlJsonChart"][aria-label]').forEach((chart) => {
      const canvas = chart.querySelector("canvas");
      if (canvas && canvas.getAttribute("aria-label") !== chart.getAttribute("aria-label")) {
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", chart.getAttribute("aria-label"));
      }
    });
    new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
  }
  link.textContent = label;
  link.dataset.target = target;
})();
