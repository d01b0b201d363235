// Maps `items` through an async function with up to `width` calls in flight, yielding results in
// the input order. The walker uses it to lstat a directory's children ahead of the consumer:
// one lstat at a time costs a thread-pool round trip per entry.
export async function* lookahead<A, B>(items: readonly A[], width: number, f: (a: A) => Promise<B>): AsyncGenerator<B, void, undefined> {
  const pending: Promise<B>[] = [];
  let next = 0;
  const fill = (): void => {
    while (pending.length < width && next < items.length) pending.push(f(items[next++] as A));
  };
  fill();
  while (pending.length > 0) {
    const result = await (pending.shift() as Promise<B>);
    fill();
    yield result;
  }
}
