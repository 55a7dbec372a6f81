import type { PackageItem } from '../program/types.ts';

/**
 * The package's items a person must still provide, in the package's order: an item is present
 * when the case holds every material it is made of. Generated items (cover, contents) are made by
 * the system from the rest, so they are never missing.
 */
export function missingPackageItems(items: readonly PackageItem[], held: Record<string, string>): PackageItem[] {
  return items.filter((item) => item.source !== 'generated' && item.materials.some((material) => !held[material]));
}

/** The materials a package item names, flattened in the package's order (for binding and listing). */
export function packageMaterials(items: readonly PackageItem[]): string[] {
  return items.flatMap((item) => item.materials);
}

/**
 * The materials a case holds, from its completed tasks in the order they were completed: a later
 * hand-in of the same material (a corrected package) takes its place.
 */
export function heldMaterials(completions: ReadonlyArray<{ materials?: Record<string, string> } | null | undefined>): Record<string, string> {
  const held: Record<string, string> = {};
  for (const completion of completions) Object.assign(held, completion?.materials ?? {});
  return held;
}
