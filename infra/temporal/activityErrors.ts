import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { CHARACTER_RULES, firstHostileString } from '../../domain/text/characters.ts';
import { isDbError, summariseDbError } from '../db/dbErrors.ts';

/** The failure type a workflow sees when an activity's data can never be written. */
export const INVALID_DATA = 'InvalidData';

/**
 * Every activity runs through this. Data that cannot be stored (a control character that slipped
 * past an edge, a value PostgreSQL refuses) fails at once, non-retryable, so the workflow can
 * answer and move on instead of retrying forever; every database error reaches the history and
 * the logs without its SQL parameters.
 */
export const activityErrorInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      const hostile = firstHostileString(input.args, ['input']);
      if (hostile) {
        throw ApplicationFailure.create({ message: `${hostile.path}: ${CHARACTER_RULES[hostile.problem]}`, type: INVALID_DATA, nonRetryable: true });
      }
      try {
        return await next(input);
      } catch (error) {
        if (!isDbError(error)) throw error;
        const summary = summariseDbError(error);
        throw ApplicationFailure.create({ message: summary.message, type: summary.dataError ? INVALID_DATA : 'DatabaseUnavailable', nonRetryable: summary.dataError });
      }
    },
  },
});
