<script>
(() => {
  // Once per slide opened (__OPENED__ counts them): the page is shown from its top.
  if (window.__paSlideOpened === __OPENED__) return;
  window.__paSlideOpened = __OPENED__;
  document.querySelector('[data-testid="stMain"]')?.scrollTo(0, 0);
})();
</script>
