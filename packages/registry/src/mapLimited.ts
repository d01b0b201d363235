import * as E from "fp-ts/lib/Either.js";

/**
 * Runs `f` over `items` with at most `limit` at once, results in the items' order. After the
 * first Left no new item starts; the ones running finish, and the first Left is the answer.
 */
export const mapLimited = async <A, L, B>(items: readonly A[], limit: number, f: (a: A, index: number) => Promise<E.Either<L, B>>): Promise<E.Either<L, readonly B[]>> => {
  const results: B[] = new Array<B>(items.length);
  let next = 0;
  let failure: E.Left<L> | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      const result = await f(items[i] as A, i);
      if (E.isLeft(result)) failure ??= result;
      else results[i] = result.right;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return failure ?? E.right(results);
};
