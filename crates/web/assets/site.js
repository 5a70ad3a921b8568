// Enhancements of the public pages; every page works without them.
// A filter form sends itself when a choice changes, so a reader need not find the button.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => {
        // A new oblast makes the chosen raion and hromada meaningless.
        if (select.name === "oblast") {
          for (const name of ["raion", "hromada"]) {
            const inner = form.elements.namedItem(name);
            if (inner) inner.value = "";
          }
        }
        form.requestSubmit();
      });
    }
  }
});
