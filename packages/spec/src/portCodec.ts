import * as t from "io-ts";

// An exposed port as the image config keys it: "80/tcp", "53/udp", "9/sctp", or a bare port
// (tcp). Ports are 1..65535 (0 means "any" to bind(2) and cannot be exposed), written as a
// number or a decimal string without leading zeros, so "80" and "080" cannot be two ports.
const PORT_STRING = /^([1-9][0-9]{0,4})(\/(tcp|udp|sctp))?$/;

const isPortNumber = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

const isPort = (u: unknown): u is string | number => {
  if (typeof u === "number") return isPortNumber(u);
  const match = typeof u === "string" ? PORT_STRING.exec(u) : null;
  return match !== null && isPortNumber(Number(match[1]));
};

/** A port 1..65535: a number, or "80", "80/tcp", "53/udp", "9/sctp". */
export const Port = new t.Type<string | number, string | number, unknown>(
  'port 1..65535 (a number, or "80", "80/tcp", "53/udp", "9/sctp")',
  isPort,
  (u, c) => (isPort(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
