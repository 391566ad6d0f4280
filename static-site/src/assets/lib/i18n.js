// Catalog texts in the browser. The generator bakes the messages a page's script names into
// `<script type="application/json" id="strings">` (a data block: never executed, so the CSP
// allows it). A message is either a string with `{$name}` markers, or, when it chooses by a
// number, `{"$": "<variable>", "one": "…", "few": "…", …}` keyed by CLDR plural category.
// Numbers are shown with the page language's grouping, as Fluent does at build time.

export const LOCALE = document.documentElement.lang || 'en';
const block = document.getElementById('strings');
const STRINGS = block ? JSON.parse(block.textContent) : {};
const plural = new Intl.PluralRules(LOCALE);
const number = new Intl.NumberFormat(LOCALE);

/** The text of `key` with `args` filled in; a key the page lacks comes back as `fallback ?? key`. */
export function t(key, args = {}, fallback) {
  let msg = STRINGS[key];
  if (msg == null) return fallback ?? key;
  if (typeof msg === 'object') {
    const n = Number(args[msg.$]);
    msg = msg[plural.select(n)] ?? msg.other ?? msg.many ?? Object.values(msg).find((v) => v !== msg.$);
  }
  return msg.replace(/\{\$(\w+)\}/g, (whole, name) => {
    if (!(name in args)) return whole;
    const v = args[name];
    return typeof v === 'number' ? number.format(v) : String(v);
  });
}

/** Whether the page carries `key`. */
export const has = (key) => key in STRINGS;
