// 汇报模式: the keys st.button(shortcut=...) cannot take. A clicker's "hide screen" button sends "."
// (PowerPoint blanks the screen on "." and "B"); this clicks the page's 黑屏 button for it.
// Shipped with the project and run in the page (no CDN, nothing fetched).
(function () {
  const w = window.parent || window;
  if (w.__cppccPresentKeys) return;
  w.__cppccPresentKeys = true;
  w.document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    if (e.key === "." || e.key === "。") {
      const b = w.document.querySelector(".st-key-present_blank button");
      if (b) { e.preventDefault(); b.click(); }
    }
  }, true);
})();
