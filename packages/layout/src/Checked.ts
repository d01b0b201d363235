import * as O from "fp-ts/lib/Option.js";
import * as A from "fp-ts/lib/ReadonlyArray.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { Digest } from "@ocistage/oci";
import type { LayoutIOError } from "./LayoutError.ts";
import type { LayoutIssue } from "./LayoutIssue.ts";

/**
 * A value found while walking a layout, with the issues met on the way and the blobs looked at.
 * Issues accumulate rather than short-circuit: that is how a verifier reports every problem.
 * (A writer over TaskEither, kept to the few operations the walk needs.)
 */
export interface Checked<A> {
  readonly value: A;
  readonly issues: readonly LayoutIssue[];
  /** Digests of blobs the walk reached through a descriptor. */
  readonly touched: readonly Digest[];
}

/** One step of the walk: I/O may fail outright; layout problems are collected in the result. */
export type Walk<A> = TE.TaskEither<LayoutIOError, Checked<A>>;

export const done = <A>(value: A): Walk<A> => TE.right({ value, issues: [], touched: [] });

export const withIssues = <A>(value: A, issues: readonly LayoutIssue[]): Walk<A> =>
  TE.right({ value, issues, touched: [] });

export const touching = <A>(digest: Digest, value: A): Walk<A> => TE.right({ value, issues: [], touched: [digest] });

/** Runs an I/O step inside a walk. */
export const fromIO = <A>(io: TE.TaskEither<LayoutIOError, A>): Walk<A> =>
  pipe(
    io,
    TE.map((value) => ({ value, issues: [], touched: [] })),
  );

export const map =
  <A, B>(f: (a: A) => B) =>
  (walk: Walk<A>): Walk<B> =>
    pipe(
      walk,
      TE.map((c) => ({ ...c, value: f(c.value) })),
    );

export const chain =
  <A, B>(f: (a: A) => Walk<B>) =>
  (walk: Walk<A>): Walk<B> =>
    pipe(
      walk,
      TE.chain((first) =>
        pipe(
          f(first.value),
          TE.map((second) => ({
            value: second.value,
            issues: [...first.issues, ...second.issues],
            touched: [...first.touched, ...second.touched],
          })),
        ),
      ),
    );

/** Like `chain`, for a walk that may have found nothing to go on with. */
export const chainSome =
  <A, B>(f: (a: A) => Walk<O.Option<B>>) =>
  (walk: Walk<O.Option<A>>): Walk<O.Option<B>> =>
    pipe(
      walk,
      chain(O.match(() => done(O.none), f)),
    );

/** Walks each element in order (sequentially: issues come out in document order). */
export const traverse =
  <A, B>(f: (a: A, i: number) => Walk<B>) =>
  (as: readonly A[]): Walk<readonly B[]> =>
    pipe(
      as,
      A.reduceWithIndex(done<readonly B[]>([]), (i, acc, a) =>
        pipe(
          acc,
          chain((bs) =>
            pipe(
              f(a, i),
              map((b): readonly B[] => [...bs, b]),
            ),
          ),
        ),
      ),
    );
