import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { decodeEvidenceRecord, evidenceStatus } from "../src/index.ts";
import { twoLayerProgram } from "./programs.ts";

describe("evidence records", () => {
  it("decodes what `ocistage test --record` writes", () => {
    const record = [{ test: "prints-version", passed: true, output: "web-app 1.2.0\n", runtime: "podman 4.3.1 with runc 1.1.5", exitCode: 0 }];
    expect(decodeEvidenceRecord(record)).toEqual(E.right(record));
  });

  it("reports every malformed field with its path", () => {
    expect(decodeEvidenceRecord([{ test: "a", passed: "yes", output: 1 }, 7])).toEqual(
      E.left(['evidence[0].output: expected a string, found 1', "evidence[0].runtime: expected a string, found nothing", 'evidence[0].passed: expected true or false, found "yes"', "evidence[1]: expected an object, found 7"]),
    );
    expect(E.isLeft(decodeEvidenceRecord({}))).toBe(true);
  });

  it("pairs each of the spec's smoke tests with its result, if any", () => {
    const record = [{ test: "some-other-test", passed: true, output: "", runtime: "podman" }];
    expect(evidenceStatus(twoLayerProgram, record).map((s) => s._tag)).toEqual(["NotRun"]);
    expect(evidenceStatus(twoLayerProgram, [{ ...record[0]!, test: "prints-version" }]).map((s) => s._tag)).toEqual(["Ran"]);
  });
});
