import * as E from "fp-ts/lib/Either.js";

/**
 * One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1): its scheme, lower case, and
 * its parameters (names lower case, quoted values unescaped). A registry sends
 * `Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"`
 * or `Basic realm="…"`.
 */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

// token = 1*tchar (RFC 9110 §5.6.2)
const tchar = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

interface Scanner {
  readonly text: string;
  at: number;
}

const skipSpaces = (s: Scanner): void => {
  while (s.at < s.text.length && (s.text[s.at] === " " || s.text[s.at] === "\t")) s.at++;
};

const token = (s: Scanner): string => {
  const start = s.at;
  while (s.at < s.text.length && tchar.test(s.text[s.at] ?? "")) s.at++;
  return s.text.slice(start, s.at);
};

// A token68 (RFC 9110 §11.2) may end in "=" padding: `Negotiate abc==`.
const token68Tail = (s: Scanner): string => {
  const start = s.at;
  while (s.text[s.at] === "=") s.at++;
  return s.text.slice(start, s.at);
};

const quoted = (s: Scanner): E.Either<string, string> => {
  const start = s.at;
  s.at++; // the opening quote
  let value = "";
  while (s.at < s.text.length) {
    const c = s.text[s.at++] ?? "";
    if (c === '"') return E.right(value);
    if (c === "\\") value += s.text[s.at++] ?? "";
    else value += c;
  }
  return E.left(`the quoted string at character ${start + 1} of ${JSON.stringify(s.text)} does not end`);
};

// Whether the "=" at the scanner starts a value (a parameter) rather than a token68's padding.
const isValueStart = (s: Scanner): boolean => {
  const probe: Scanner = { text: s.text, at: s.at + 1 };
  skipSpaces(probe);
  const c = probe.text[probe.at] ?? "";
  return c === '"' || tchar.test(c);
};

// After a comma, a new challenge starts when a token is followed by a space or the end (a
// scheme), and a parameter continues when it is followed by "=".
const startsChallenge = (s: Scanner): boolean => {
  const probe: Scanner = { text: s.text, at: s.at };
  skipSpaces(probe);
  if (token(probe) === "") return false;
  skipSpaces(probe);
  return probe.text[probe.at] !== "=";
};

/**
 * Every challenge in a `WWW-Authenticate` value (several headers joined by ", " are one value).
 * Left: what made the value unreadable, for the error message.
 */
export const parseWwwAuthenticate = (header: string): E.Either<string, readonly Challenge[]> => {
  const s: Scanner = { text: header, at: 0 };
  const challenges: Challenge[] = [];
  for (;;) {
    skipSpaces(s);
    while (s.text[s.at] === ",") {
      s.at++;
      skipSpaces(s);
    }
    if (s.at >= s.text.length) return E.right(challenges);
    const scheme = token(s);
    if (scheme === "") return E.left(`expected an authentication scheme at character ${s.at + 1} of ${JSON.stringify(header)}`);
    const params: Record<string, string> = {};
    for (;;) {
      skipSpaces(s);
      if (s.at >= s.text.length || s.text[s.at] === ",") break;
      const name = token(s);
      if (name === "") return E.left(`unexpected ${JSON.stringify(s.text[s.at])} at character ${s.at + 1} of ${JSON.stringify(header)}`);
      skipSpaces(s);
      if (s.text[s.at] === "=" && isValueStart(s)) {
        s.at++;
        skipSpaces(s);
        const value = s.text[s.at] === '"' ? quoted(s) : E.right(token(s));
        if (E.isLeft(value)) return value;
        params[name.toLowerCase()] = value.right;
      } else if (Object.keys(params).length === 0) params["token68"] = name + token68Tail(s);
      else return E.left(`expected name=value at character ${s.at + 1} of ${JSON.stringify(header)}`);
      skipSpaces(s);
      if (s.text[s.at] !== ",") break;
      s.at++;
      if (startsChallenge(s)) break;
    }
    challenges.push({ scheme: scheme.toLowerCase(), params });
  }
};

/** The Bearer challenge's realm, service and scopes, if the header offers Bearer. */
export interface BearerChallenge {
  readonly realm: string;
  readonly service?: string;
  /** `scope` may hold several space-separated scopes. */
  readonly scopes: readonly string[];
}

export const bearerOf = (challenges: readonly Challenge[]): BearerChallenge | undefined => {
  const bearer = challenges.find((c) => c.scheme === "bearer" && c.params["realm"] !== undefined);
  if (bearer === undefined) return undefined;
  const service = bearer.params["service"];
  const scope = bearer.params["scope"];
  return {
    realm: bearer.params["realm"] ?? "",
    ...(service === undefined ? {} : { service }),
    scopes: scope === undefined ? [] : scope.split(" ").filter((x) => x !== ""),
  };
};

export const offersBasic = (challenges: readonly Challenge[]): boolean => challenges.some((c) => c.scheme === "basic");
