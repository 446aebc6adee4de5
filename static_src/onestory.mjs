import { initAll } from "./govuk-frontend.min.js";

// Your Voice: a running total under the time-use percentages (templates/surveys/answer.html).
// Without JavaScript the total stays hidden and the server names it if it is not 100.
function initTimeTotals(scope) {
  for (const group of scope.querySelectorAll('[data-module="onestory-time-total"]')) {
    if (group.dataset.timeTotalReady) continue;
    group.dataset.timeTotalReady = "true";
    const inputs = group.querySelectorAll("input");
    const output = group.querySelector("[data-time-total]");
    if (!output) continue;
    const update = () => {
      let total = 0;
      let unreadable = false;
      for (const input of inputs) {
        const text = input.value.trim();
        if (text === "") continue;
        if (!/^\d+$/.test(text)) {
          unreadable = true;
          continue;
        }
        total += Number(text);
      }
      const left = 100 - total;
      let message = `Total so far: ${total}%`;
      if (unreadable) message += " (some boxes are not whole numbers)";
      else if (left > 0) message += `, ${left}% still to share out`;
      else if (left < 0) message += `, ${-left}% too much`;
      else message += ". That adds up to 100%.";
      output.textContent = message;
    };
    output.hidden = false;
    for (const input of inputs) input.addEventListener("input", update);
    update();
  }
}

initAll();
initTimeTotals(document);
// Fragments swapped in by htmx get the same behaviour as the page they land in.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
  initTimeTotals(event.detail.elt);
});
