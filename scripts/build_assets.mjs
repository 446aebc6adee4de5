// Builds the front-end assets from the npm packages into build/static (never committed).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const modules = join(root, "node_modules");
mkdirSync(join(out, "onestory"), { recursive: true });

const css = sass.compile(join(root, "static_src", "onestory.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  // MoJ Frontend loads GOV.UK Frontend as "node_modules/govuk-frontend/...".
  loadPaths: [root],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "onestory", "onestory.css"), css.css);

const copies = [
  [join(modules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), "onestory/govuk-frontend.min.js"],
  [join(modules, "govuk-frontend", "dist", "govuk", "assets", "images"), "govuk/assets/images"],
  [join(modules, "htmx.org", "dist", "htmx.min.js"), "onestory/htmx.min.js"],
  [join(root, "static_src", "onestory.mjs"), "onestory/onestory.mjs"],
  [join(root, "static_src", "js-enabled.js"), "onestory/js-enabled.js"],
  [join(root, "static_src", "favicon.svg"), "onestory/favicon.svg"],
];
for (const [from, to] of copies) {
  cpSync(from, join(out, to), { recursive: true });
}
// MoJ Frontend's icons, beside GOV.UK Frontend's images: its Sass points both at one folder.
const mojImages = join(modules, "@ministryofjustice", "frontend", "moj", "assets", "images");
cpSync(mojImages, join(out, "govuk", "assets", "images"), {
  recursive: true,
  filter: (path) => path === mojImages || /^icon-.*\.svg$/.test(basename(path)),
});
console.log(`Front-end assets built in ${out}`);
