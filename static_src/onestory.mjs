import { initAll } from "./govuk-frontend.min.js";

initAll();
// Fragments swapped in by htmx get the same behaviour as the page they land in.
document.body.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.detail.elt }));
