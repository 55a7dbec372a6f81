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
