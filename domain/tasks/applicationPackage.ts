import { missingPackageItems } from '../demonstration/package.ts';
import { invalid, keepMaterials, reasonGiven, type TaskKindRules } from './kind.ts';

/** 申报材料: the enterprise completes the package; it goes in only when every item is present. */
export const applicationPackage: TaskKindRules = {
  kind: 'application_package',
  label: '准备申报材料',
  outcomes: ['submit'],
  runsBeside: false,
  accepts: ['materials'],
  refusal(_task, payload, context) {
    if (!context.package) return null;
    const missing = missingPackageItems(context.package.items, { ...context.package.held, ...payload.materials });
    if (!missing.length) return null;
    const first = missing[0]!;
    return invalid(`materials.${first.materials.find((m) => !(payload.materials?.[m] ?? context.package!.held[m])) ?? first.key}`, `the package is not complete: ${missing.map((i) => i.title).join('；')}`, `申报材料不齐：缺少 ${missing.map((i) => i.title).join('；')} (the package is not complete)`);
  },
  effect: keepMaterials,
};

/** 申报材料一式二份交经信委: the city submits the package to the acceptor, or returns it. */
export const submitPackage: TaskKindRules = {
  kind: 'submit_package',
  label: '报送申报材料',
  outcomes: ['submit', 'return'],
  runsBeside: false,
  accepts: [],
  refusal: (_task, payload) => reasonGiven(payload, ['return']),
};
