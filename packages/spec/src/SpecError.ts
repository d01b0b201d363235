// Everything that can go wrong before a spec is a value: tagged data, rendered by `formatSpecError`.
export type SpecError =
  | { readonly _tag: "SpecNotFound"; readonly path: string; readonly reason: string }
  | { readonly _tag: "SpecUnreadable"; readonly path: string; readonly reason: string }
  | { readonly _tag: "SpecSyntax"; readonly path: string; readonly reason: string }
  | { readonly _tag: "SpecInvalid"; readonly path: string; readonly issues: readonly SpecIssue[] };

// One problem at one place: `at` is the dotted path (`layers[0].files[2].destination`).
export interface SpecIssue {
  readonly at: string;
  readonly message: string;
}

export const formatSpecIssue = (issue: SpecIssue): string =>
  issue.at === "" ? issue.message : `${issue.at}: ${issue.message}`;

export const formatSpecError = (error: SpecError): readonly string[] => {
  switch (error._tag) {
    case "SpecNotFound":
      return [`${error.path}: spec not found (${error.reason})`];
    case "SpecUnreadable":
      return [`${error.path}: cannot read spec (${error.reason})`];
    case "SpecSyntax":
      return [`${error.path}: ${error.reason}`];
    case "SpecInvalid":
      return error.issues.map(formatSpecIssue);
  }
};
