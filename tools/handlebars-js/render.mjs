// Reads [{"template": "...", "variables": {...}}, ...] on stdin and prints a JSON array with, per case, what Handlebars
// (JavaScript) renders, without HTML escaping (as a template's subject and text_body are rendered).
import Handlebars from "handlebars";

let input = "";
for await (const chunk of process.stdin) {
  input += chunk;
}

const rendered = JSON.parse(input).map(({ template, variables }) => {
  try {
    return Handlebars.compile(template, { noEscape: true })(variables);
  } catch (e) {
    return "error: " + (e && e.message ? e.message : String(e));
  }
});
process.stdout.write(JSON.stringify(rendered));
