(() => {
  // Streamlit writes its controls' accessible names in English ("Help for 演示模式", "摘帽年份范围 — start",
  // "Link to heading"): on a Chinese page they are put in Chinese, now and whenever the frontend writes
  // them again. exact: whole labels; around: "Help for {x}" -> "{x}的说明", {x} the widget's own label.
  // Vega's charts: "visualization" and "group mark container" are its roles' descriptions.
  window.__paAria = { exact: __EXACT__, around: __AROUND__ };
  const ATTRS = ["aria-label", "title", "aria-roledescription"];
  const fix = (el) => {
    for (const attr of ATTRS) {
      const said = el.getAttribute(attr);
      if (!said) continue;
      const words = window.__paAria;
      let put = words.exact[said];
      for (const [en, zh] of Object.entries(words.around)) {
        const [pre, post] = en.split("{x}");
        if (put || said.length < pre.length + post.length || !said.startsWith(pre) || !said.endsWith(post)) continue;
        put = zh.replace("{x}", said.slice(pre.length, said.length - post.length));
      }
      if (put && put !== said) el.setAttribute(attr, put);
    }
  };
  const all = () => document.querySelectorAll("[aria-label], [title], [aria-roledescription]").forEach(fix);
  all();
  if (!window.__paAriaKept) {
    window.__paAriaKept = new MutationObserver(() => window.__paAria && all());
    window.__paAriaKept.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ATTRS });
  }
})();
