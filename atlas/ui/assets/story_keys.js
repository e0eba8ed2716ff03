<script>
(() => {
  if (window.__paStoryKeys) document.removeEventListener('keydown', window.__paStoryKeys, true);
  window.__paStoryKeys = (event) => {
    const target = event.target || {};
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName || '') || target.isContentEditable) return;
    const role = target.getAttribute ? target.getAttribute('role') || '' : '';
    if (['slider', 'listbox', 'combobox', 'option', 'textbox'].includes(role)) return;
    const next = ['PageDown', 'ArrowRight', 'ArrowDown', ' ', 'Spacebar'].includes(event.key);
    const previous = ['PageUp', 'ArrowLeft', 'ArrowUp'].includes(event.key);
    if (!next && !previous) return;
    const button = document.querySelector(next ? '.st-key-story_next button' : '.st-key-story_prev button');
    if (!button) return;  // no story on screen (it ended): the keys scroll as usual
    event.preventDefault();
    event.stopPropagation();
    if (!button.disabled) button.click();
  };
  document.addEventListener('keydown', window.__paStoryKeys, true);
})();
</script>
