import { describe, expect, test } from '@jest/globals';
import { caseTimeline, trackPath, type TimelineCase, type TimelineTask } from '../../domain/case/timeline.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';

const standard = TAICANG_2018.tracks.standard!;
const municipal = TAICANG_2018.tracks['municipal-demo']!;
const NOW = new Date('2018-07-01T00:00:00Z');

const task = (stage: string, status: string, openedAt: string, values: Partial<TimelineTask> = {}): TimelineTask => ({ stage, status, openedAt, dueAt: null, completedAt: status === 'completed' ? openedAt : null, ...values });
const standardCase = (values: Partial<TimelineCase>): TimelineCase => ({
  stage: 'district_review',
  status: 'active',
  submittedAt: '2018-06-01T02:00:00.000Z',
  deadlines: { acceptanceMaterials: '2018-07-31T15:59:00.000Z' },
  tasks: [],
  ...values,
});
const states = (steps: { stage: string; state: string }[]) => steps.map((s) => `${s.stage}:${s.state}`);

describe('the stages of a track', () => {
  test('贯标: each chain with its correction before the review it leads back to', () => {
    expect(trackPath(standard)).toEqual([
      'submitted',
      'correction',
      'district_review',
      'district_forwarding',
      'city_review',
      'self_compliance',
      'acceptance_correction',
      'acceptance_district_check',
      'acceptance_city_review',
      'acceptance_prefecture_review',
    ]);
  });

  test('示范: recommendation, contract, creation, package, acceptance, publicity', () => {
    expect(trackPath(municipal)).toEqual(['submitted', 'district_recommendation', 'city_recommendation', 'consultant_contract', 'contract_filing', 'creation', 'application_package', 'package_correction', 'package_submission', 'acceptance', 'publicity']);
  });
});

describe("a case's timeline", () => {
  test('a new case: submitted done, district review current with its task’s due date, the rest next, corrections left out', () => {
    const steps = caseTimeline(standard, standardCase({ tasks: [task('district_review', 'open', '2018-06-01T02:00:00.000Z', { dueAt: '2018-06-06T02:00:00.000Z' })] }), NOW);
    expect(states(steps)).toEqual([
      'submitted:done',
      'district_review:current',
      'district_forwarding:next',
      'city_review:next',
      'self_compliance:next',
      'acceptance_district_check:next',
      'acceptance_city_review:next',
      'acceptance_prefecture_review:next',
      'certified:next',
    ]);
    expect(steps[0]).toMatchObject({ doneAt: '2018-06-01T02:00:00.000Z', dueAt: null });
    // the task's own due date is past: overdue
    expect(steps[1]).toMatchObject({ dueAt: '2018-06-06T02:00:00.000Z', deadline: null, overdue: true, again: false });
    // a coming stage with a deadline of the case shows it; one without shows none
    expect(steps[4]).toMatchObject({ dueAt: '2018-07-31T15:59:00.000Z', deadline: 'acceptanceMaterials', overdue: false });
    expect(steps[2]).toMatchObject({ dueAt: null, deadline: null });
  });

  test('returned for correction: the correction current with its period, the chain ahead again', () => {
    const steps = caseTimeline(
      standard,
      standardCase({
        stage: 'correction',
        deadlines: { acceptanceMaterials: '2018-07-31T15:59:00.000Z', correction: '2018-07-06T15:59:00.000Z' },
        tasks: [task('district_review', 'completed', '2018-06-01T02:00:00.000Z', { completedAt: '2018-06-02T02:00:00.000Z' }), task('correction', 'open', '2018-06-02T02:00:00.000Z')],
      }),
      NOW,
    );
    expect(states(steps).slice(0, 4)).toEqual(['submitted:done', 'correction:current', 'district_review:next', 'district_forwarding:next']);
    expect(steps[1]).toMatchObject({ deadline: 'correction', dueAt: '2018-07-06T15:59:00.000Z', overdue: false });
    expect(steps[2]).toMatchObject({ again: true });
    expect(steps[3]).toMatchObject({ again: false });
  });

  test('corrected and resubmitted: the correction done, its past period shown as done and not as pending', () => {
    const steps = caseTimeline(
      standard,
      standardCase({
        deadlines: { acceptanceMaterials: '2018-07-31T15:59:00.000Z', correction: '2018-06-08T15:59:00.000Z' },
        tasks: [
          task('district_review', 'completed', '2018-06-01T02:00:00.000Z', { completedAt: '2018-06-02T02:00:00.000Z' }),
          task('correction', 'completed', '2018-06-02T02:00:00.000Z', { completedAt: '2018-06-05T03:00:00.000Z' }),
          task('district_review', 'open', '2018-06-05T03:00:00.000Z', { dueAt: '2018-07-10T03:00:00.000Z' }),
        ],
      }),
      NOW,
    );
    expect(states(steps).slice(0, 3)).toEqual(['submitted:done', 'correction:done', 'district_review:current']);
    expect(steps[1]).toMatchObject({ doneAt: '2018-06-05T03:00:00.000Z', dueAt: null, deadline: null, overdue: false });
    expect(steps[2]).toMatchObject({ dueAt: '2018-07-10T03:00:00.000Z', overdue: false, again: true });
  });

  test('in self-compliance: the application chain done with when each finished, the acceptance deadline current', () => {
    const steps = caseTimeline(
      standard,
      standardCase({
        stage: 'self_compliance',
        tasks: [
          task('district_review', 'completed', '2018-06-01T02:00:00.000Z', { completedAt: '2018-06-02T02:00:00.000Z' }),
          task('district_forwarding', 'completed', '2018-06-02T02:00:00.000Z', { completedAt: '2018-06-03T02:00:00.000Z' }),
          task('city_review', 'completed', '2018-06-03T02:00:00.000Z', { completedAt: '2018-06-04T02:00:00.000Z' }),
          task('self_compliance', 'completed', '2018-06-04T02:00:00.000Z', { completedAt: '2018-06-10T02:00:00.000Z' }),
          task('self_compliance', 'open', '2018-06-04T02:00:00.000Z', { dueAt: '2018-07-31T15:59:00.000Z' }),
        ],
      }),
      new Date('2018-08-01T00:00:00Z'),
    );
    expect(steps.filter((s) => s.state === 'done').map((s) => [s.stage, s.doneAt])).toEqual([
      ['submitted', '2018-06-01T02:00:00.000Z'],
      ['district_review', '2018-06-02T02:00:00.000Z'],
      ['district_forwarding', '2018-06-03T02:00:00.000Z'],
      ['city_review', '2018-06-04T02:00:00.000Z'],
    ]);
    expect(steps.find((s) => s.state === 'current')).toMatchObject({ stage: 'self_compliance', deadline: 'acceptanceMaterials', overdue: true, again: false });
  });

  test('certified: every stage done, the certificate last', () => {
    const steps = caseTimeline(
      standard,
      standardCase({ stage: 'certified', status: 'certified', closedAt: '2018-09-01T02:00:00.000Z', tasks: [task('acceptance_prefecture_review', 'completed', '2018-08-20T02:00:00.000Z')] }),
      NOW,
    );
    expect(steps.every((s) => s.state === 'done')).toBe(true);
    expect(steps.at(-1)).toMatchObject({ stage: 'certified', doneAt: '2018-09-01T02:00:00.000Z' });
    expect(steps.some((s) => s.dueAt !== null)).toBe(false);
  });

  test('rejected at the city: ended there, the stages after not reached, no certificate ahead', () => {
    const steps = caseTimeline(
      standard,
      standardCase({
        stage: 'rejected',
        status: 'rejected',
        tasks: [task('district_review', 'completed', '2018-06-01T02:00:00.000Z'), task('district_forwarding', 'completed', '2018-06-02T02:00:00.000Z'), task('city_review', 'completed', '2018-06-03T02:00:00.000Z')],
      }),
      NOW,
    );
    expect(states(steps)).toEqual([
      'submitted:done',
      'district_review:done',
      'district_forwarding:done',
      'city_review:ended',
      'self_compliance:not_reached',
      'acceptance_district_check:not_reached',
      'acceptance_city_review:not_reached',
      'acceptance_prefecture_review:not_reached',
    ]);
    expect(steps[3]).toMatchObject({ ending: 'rejected', dueAt: null });
    expect(steps[4]).toMatchObject({ dueAt: null });
  });

  test('a demonstration acceptance waits for its date: announced later', () => {
    const steps = caseTimeline(
      municipal,
      { stage: 'acceptance', status: 'active', submittedAt: '2018-06-01T02:00:00.000Z', deadlines: { recommendation: '2018-06-30T15:59:00.000Z', applicationPackage: '2018-08-15T15:59:00.000Z' }, tasks: [task('package_submission', 'completed', '2018-08-01T02:00:00.000Z'), task('acceptance', 'open', '2018-08-02T02:00:00.000Z')] },
      NOW,
    );
    expect(steps.find((s) => s.state === 'current')).toMatchObject({ stage: 'acceptance', dueAt: null, dateToBeAnnounced: true, overdue: false });
    expect(states(steps).slice(-2)).toEqual(['publicity:next', 'certified:next']);
  });

  test('a stage the track does not name stands after the last stage the case has been in', () => {
    const steps = caseTimeline(standard, standardCase({ stage: 'special_review', tasks: [task('district_review', 'completed', '2018-06-01T02:00:00.000Z'), task('special_review', 'open', '2018-06-02T02:00:00.000Z')] }), NOW);
    expect(states(steps).slice(0, 4)).toEqual(['submitted:done', 'district_review:done', 'special_review:current', 'district_forwarding:next']);
  });
});
