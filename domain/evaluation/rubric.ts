/** The three columns of the 评分标准: 满分, 半分值, 零分. */
export type LevelChoice = 'full' | 'half' | 'zero';

export const LEVEL_CHOICES: readonly LevelChoice[] = ['full', 'half', 'zero'];

export interface RubricLevel {
  points: number;
  /** the wording the sheet prints in that column, e.g. 有文件 */
  label: string;
}

export interface RubricItem {
  /** `<section>.<item>`, numbered within the section in sheet order */
  id: string;
  /** the 考核内容 text */
  title: string;
  /** the 评价内容 group the item belongs to, without its maximum */
  criterion: string;
  max: number;
  /** half is null where the sheet prints "——" or leaves the cell empty */
  levels: { full: RubricLevel; half: RubricLevel | null; zero: RubricLevel };
}

/** A 评价内容 row with its own maximum, e.g. 信用管理方针（30）. */
export interface RubricGroup {
  title: string;
  max: number;
  itemIds: string[];
}

export interface RubricSection {
  id: string;
  title: string;
  max: number;
  groups: RubricGroup[];
  items: RubricItem[];
}

/** A self-evaluation score sheet as data: each year's plan may bring its own. */
export interface Rubric {
  id: string;
  title: string;
  total: number;
  sections: RubricSection[];
  /** the item whose half/zero level records general/serious dishonesty and caps the grade */
  dishonestyItemId: string;
}

export interface GradeBand {
  grade: string;
  minScore: number;
}

export interface GradingPolicy {
  /** listed best first; the first band whose minScore the total reaches is the grade */
  bands: GradeBand[];
  /**
   * The grade the case must be BELOW when the dishonesty item is at that level:
   * general dishonesty (half) → below 'A', serious dishonesty (zero) → below 'B'.
   */
  dishonestyCaps: { half: string; zero: string };
}

export function rubricItems(rubric: Rubric): RubricItem[] {
  return rubric.sections.flatMap((s) => s.items);
}
