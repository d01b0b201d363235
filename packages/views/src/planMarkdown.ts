import { fence, inlineCode, table } from "./markdown.ts";
import type { Plan } from "./plan.ts";
import { planShellExcerpt } from "./planText.ts";

const MAX_LISTED_NEEDS = 3;

// A long list of needs (the config waits for every layer) is cut to its first few and a count.
const needsCell = (needs: readonly string[]): string =>
  needs.length === 0
    ? "—"
    : needs.length <= MAX_LISTED_NEEDS
      ? needs.map(inlineCode).join(", ")
      : `${needs.slice(0, MAX_LISTED_NEEDS).map(inlineCode).join(", ")} and ${needs.length - MAX_LISTED_NEEDS} more`;

// `ocistage plan --format markdown`: a compact page for a code review comment.
export const planMarkdown = (plan: Plan): string =>
  [
    `**Plan for ${inlineCode(plan.image)}**: ${plan.steps.length} steps, in execution order.`,
    "",
    table(
      ["#", "step", "needs", "tools", "what it does"],
      plan.steps.map((step) => [String(step.order), inlineCode(step.name), needsCell(step.needs), step.tools.join(", "), step.summary]),
    ),
    ...(plan.closures === undefined ? [] : ["", "**Closures**", "", ...plan.closures.map((line) => `- ${line}`)]),
    "",
    "<details><summary>Shell excerpt</summary>",
    "",
    fence("sh", planShellExcerpt(plan)),
    "",
    "</details>",
  ].join("\n");
