import type { SpecIssue } from "@ocistage/spec";

/**
 * The most layers an image may have unless its spec sets `maxLayers`: 127.
 *
 * Where the limit comes from: an overlay mount stacks one lower directory per image layer, and
 * the overlay drivers cap how many so the mount(2) option string fits in one page. Podman's and
 * buildah's storage (containers/storage, overlay driver) refuses more than 128 lower directories
 * with "max depth exceeded" when the container starts; measured here with podman 4.3.1 and runc:
 * 128 layers run, 129 and more fail (packages/build/test/layerLimitRun.test.ts keeps that true).
 * 127 is the figure Docker and its docs have long given (aufs's branch limit), and it leaves one
 * layer of room, so `FROM` this image plus one more layer still runs under podman.
 *
 * Runtimes that allow more or fewer: podman's vfs driver stacks nothing (any count runs); the
 * kernel's overlayfs itself takes 500 lower directories; Docker's classic layer store refuses a
 * 126th layer (moby's layer store, maxLayerDepth = 125: read in its source, not measured here).
 */
export const DEFAULT_MAX_LAYERS = 127;

/**
 * The issue for an image of `layerCount` layers (base layers included) when that is more than
 * `maxLayers`, placed at the spec path `at`; `undefined` when the image is within its budget.
 */
export const layerBudget = (layerCount: number, at: string, maxLayers: number = DEFAULT_MAX_LAYERS): SpecIssue | undefined =>
  layerCount <= maxLayers
    ? undefined
    : {
        at,
        message:
          maxLayers === DEFAULT_MAX_LAYERS
            ? `expected at most ${maxLayers} layers, found ${layerCount}: a runtime stacks one overlay directory per layer and podman's storage stops at 128 ("max depth exceeded"); merge layers, or set maxLayers for a runtime known to allow more`
            : `expected at most ${maxLayers} layers (the spec's maxLayers), found ${layerCount}`,
      };
