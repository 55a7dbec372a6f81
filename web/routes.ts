import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { engine } from 'express-handlebars';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Services } from '../features/services.ts';
import { SESSION_COOKIE, currentActor, identify, sessionToken } from '../http/auth.ts';
import { readCookie } from '../http/cookies.ts';
import { acceptanceScheduleBody, completeTaskBody, consultantBody, draftSchema, extensionBody, batchBody, objectionBody, submitApplicationBody } from '../features/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../features/errors.ts';
import { pathParams, refuseHostileCharacters } from '../features/validation.ts';
import { loggable } from '../infra/db/dbErrors.ts';
import { DEADLINE_LABELS, type Outcome, type TaskKind } from '../domain/case/model.ts';
import { OUTCOMES_BY_KIND, TASK_KIND_LABELS } from '../domain/tasks/index.ts';
import type { Actor, Role } from '../domain/identity/roles.ts';
import { labelsFor, type Locale } from '../domain/i18n/labels.ts';
import { inLanguage } from '../domain/i18n/bilingual.ts';
import { LOCALE_COOKIE, hasMessage, localeOf, translate } from './i18n/i18n.ts';
import { formatLocal, localDate } from '../domain/program/calendar.ts';
import { programDeadline } from '../domain/program/program.ts';
import { TRACKS, type ProgramDefinition, type TrackId } from '../domain/program/types.ts';
import { rubricItems } from '../domain/evaluation/rubric.ts';
import type { Orm } from '../infra/db/orm.ts';
import { noStore, sameOriginWrites } from '../http/security.ts';
import type { MailCatcher } from '../infra/mail/mailCatcher.ts';
import { MAIL_LOCALES, MAIL_TEMPLATE_LABELS, MAIL_TEMPLATES, SAMPLE_DATA, isMailLocale, isMailTemplate, loadMailTemplates, type RenderMail } from '../activities/notifications/templates.ts';
import { preferencesBody } from '../features/me/schemas.ts';
import { applicationFrom, draftFrom, field, fields, keptFile, prefixed, receiveUploads, storeUploads, throwUploadError, type FormBody, type KeptFile } from './forms.ts';
import { csrfProtection } from './security/csrf.ts';
import { sandboxedHtml } from './security/headers.ts';
import { sameOriginPath } from './security/redirects.ts';
import { adjustmentView, chosenAdjustments, deadlineLabel, deadlineList, scoreTable, sheetView } from './viewModels.ts';
import { demonstrationFacts, type DemonstrationFacts } from './demonstration.ts';
import { consultantChoices, engagedAs } from './consultantDirectory.ts';
import { TASK_FORMS, findingRows, genericPayload, inChinese, materialField, materialTitle, outcomeChoices, type GenericInput, type GenericTaskForm, type PackageHeld } from './taskForms.ts';
import { VERIFY_LIMIT, publicThrottle } from '../http/publicThrottle.ts';
import { CERTIFICATE_TITLES } from '../domain/documents/documents.ts';
import { ownSummaryListDistrict, summaryListAccess } from '../domain/documents/summaryList.ts';
import { DASHBOARD_ROLES } from '../domain/dashboard/dashboard.ts';
import { dashboardPages } from './dashboard.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const require = createRequire(import.meta.url);

const TRACK_LABELS: Record<string, string> = { standard: '信用管理贯标', 'municipal-demo': '苏州市级示范创建', 'provincial-demo': '江苏省级示范创建' };

/** The rule named for a field path in an AppError, for the field's own line in the form. */
function problemFor(error: unknown, path: unknown, locale: Locale = 'zh-CN'): string {
  if (!(error instanceof AppError) || typeof path !== 'string') return '';
  return inLanguage(error.fields.find((f) => f.path === path)?.rule ?? '', locale);
}

/** The reader's language, from the page's root data (res.locals.locale), in a helper's options. */
const localeIn = (options: unknown): Locale => localeOf((options as { data?: { root?: { locale?: unknown } } } | undefined)?.data?.root?.locale);
const labelsIn = (options: unknown) => labelsFor(localeIn(options));

const helpers = {
  /** a message of the catalogue (web/i18n/locales) in the reader's language: {{t "inbox.title"}} */
  t: (key: string, options: { hash?: Record<string, unknown> }) => translate(localeIn(options), key, options.hash),
  /** a message or rule written "中文 (english)" in the reader's language */
  say: (text: unknown, options: unknown) => inLanguage(String(text ?? ''), localeIn(options)),
  stageLabel: (stage: string, options: unknown) => labelsIn(options).stage(stage),
  roleLabel: (role: string, options: unknown) => labelsIn(options).role(role as Role) ?? role,
  statusLabel: (status: string, options: unknown) => labelsIn(options).status(status),
  outcomeLabel: (outcome: string, options: unknown) => labelsIn(options).outcome(outcome as Outcome) ?? outcome,
  kindLabel: (kind: string, options: unknown) => labelsIn(options).taskKind(kind, TASK_KIND_LABELS[kind as TaskKind] ?? kind),
  trackLabel: (track: string, options: unknown) => labelsIn(options).track(track, TRACK_LABELS[track] ?? track),
  deadlineLabel,
  localTime: (instant: Date | string | null, options: unknown) => (instant ? formatLocal(instant, 'Asia/Shanghai', localeIn(options)) : ''),
  /** a task's due date; none yet: the date is announced later (验收时间另行通知) */
  dueLabel: (instant: Date | string | null | undefined, options: unknown) => (instant ? formatLocal(instant, 'Asia/Shanghai', localeIn(options)) : labelsIn(options).dateToBeAnnounced),
  /** a local date and time as a datetime-local field holds it (2026-07-01T09:30) */
  localDateTime: (value: string | null | undefined) => (value ? value.replace('T', ' ') : ''),
  fieldProblem: (error: unknown, path: unknown, options: unknown) => problemFor(error, path, localeIn(options)),
  eq: (a: unknown, b: unknown) => a === b,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  not: (value: unknown) => !value,
  includes: (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
  json: (value: unknown) => JSON.stringify(value, null, 2),
  concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
  inc: (n: unknown) => Number(n) + 1,
  lt: (a: unknown, b: unknown) => Number(a) < Number(b),
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  minus: (a: unknown, b: unknown) => Number(a) - Number(b),
  /** a field as the form names it (catalogue `fields.<path>`), or '' when the rule names it itself (第4.1项：…) or it has no name */
  fieldLabel: (path: unknown, rule: unknown, options: unknown) =>
    /^第[^项]{1,12}项/.test(String(rule ?? '')) || !hasMessage(`fields.${String(path)}`) ? '' : translate(localeIn(options), `fields.${String(path)}`),
  /** the head of a checksum, enough for a person to compare two prints */
  short: (value: unknown) => String(value ?? '').slice(0, 12),
  join: (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ',') : ''),
};

type Page = Request & { actor?: Actor };

/** Who recommends within a quota (推荐名额), and who sets acceptance dates (the acceptors): as the API's rules. */
const RECOMMENDING_ROLES: ReadonlySet<string> = new Set(['district_officer', 'city_officer', 'prefecture_officer']);
const ACCEPTOR_ROLES: ReadonlySet<string> = new Set(['prefecture_officer', 'province_officer']);

/** Files a task's form carries, by task kind: an input `<name>` and hidden `<name>FileId`/`<name>FileName`. */
const TASK_FILE_FIELDS: Partial<Record<TaskKind, string[]>> = {
  correct_application: ['creditReport'],
  self_compliance_item: ['document'],
  acceptance_submission: ['workSummary', 'internalEvaluation', 'commitmentLetter'],
};

/** What a task form handed in, kept to show it again when the submit is refused. */
interface TaskInput {
  body: FormBody;
  files: Record<string, KeptFile | null>;
  evidence: Record<string, string[]>;
}

export interface WebOptions {
  orm: Orm;
  cookieSecure: boolean;
  publicUrl: () => string;
  /** the login throttle, the same handlers as in front of POST /api/auth/login (both count together) */
  loginThrottle: RequestHandler[];
  /** the public objection throttle, the same handler as in front of the API's objections */
  objectionThrottle: RequestHandler;
  mailCatcher?: MailCatcher | undefined;
}

/** The enterprise, or the district that receives its paper, hands back the signed scan of a form. */
const mayHandBackScans = (actor: Actor, document: { signable: boolean; status: string }) =>
  document.signable && document.status !== 'none' && (actor.role === 'enterprise' || actor.role === 'district_officer');

/** Server-rendered pages for each role's step, on the same services as the API. */
export function webRoutes(services: Services, options: WebOptions) {
  const web = express();
  // a sub-app sets its own X-Powered-By unless told not to, whatever the outer app did
  web.disable('x-powered-by');
  web.engine('hbs', engine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: here('./views/layouts'), partialsDir: here('./views/partials'), helpers }));
  web.set('view engine', 'hbs');
  web.set('views', here('./views'));
  web.use('/static', express.static(here('./public'), { maxAge: '1h' }));
  web.get('/static/htmx.min.js', (_req, res) => res.sendFile(require.resolve('htmx.org/dist/htmx.min.js')));
  // every page below depends on who asks: no browser or proxy keeps it (Back after logout shows nothing)
  web.use(noStore);
  // a state-changing request from another site is refused before its body is read
  web.use(sameOriginWrites({ publicUrl: options.publicUrl, sessionCookie: SESSION_COOKIE }));
  web.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 5000 }));
  web.use(refuseHostileCharacters);
  web.use(identify(services.auth));
  // the pages' language: the browser's choice (the switcher), set from the user's preference at login
  web.use((req, res, next) => {
    res.locals.locale = localeOf(readCookie(req, LOCALE_COOKIE));
    // where the switcher brings the reader back to: this page, or the start for a form's answer
    res.locals.currentPath = req.method === 'GET' ? req.originalUrl : '/';
    next();
  });
  const rememberLocale = (res: Response, locale: Locale) =>
    res.cookie(LOCALE_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, maxAge: 365 * 24 * 3_600_000 });
  const csrf = csrfProtection({ orm: options.orm, cookieSecure: options.cookieSecure, sessionCookie: SESSION_COOKIE });
  web.use(csrf.prepare, csrf.guard);
  /** Multipart forms: receiveUploads reads the body, then the form's own CSRF token is checked. */
  const uploadForm = [receiveUploads, csrf.checkUploadedForm];

  const render = (res: Response, view: string, data: Record<string, unknown> = {}, status = 200) => {
    const actor = currentActor(res);
    const nav = actor
      ? {
          apply: actor.role === 'enterprise',
          batches: actor.role === 'district_officer' || actor.role === 'city_officer',
          extensions: actor.role === 'city_officer',
          recommendations: RECOMMENDING_ROLES.has(actor.role),
          acceptanceSchedules: ACCEPTOR_ROLES.has(actor.role),
          dashboard: DASHBOARD_ROLES.has(actor.role),
        }
      : {};
    // csrfToken comes with res.locals (csrf.prepare)
    res.status(status).render(view, { actor, nav, mailCatcher: Boolean(options.mailCatcher) && actor?.role === 'admin', ...data });
  };
  const signedIn = (req: Request, res: Response, next: NextFunction) => {
    const actor = currentActor(res);
    if (!actor) return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
    (req as Page).actor = actor;
    next();
  };
  const actorOf = (req: Request) => (req as Page).actor!;
  // path parameters have schemas on the pages too: a malformed id is a 400 naming it, never a query
  const caseIdOf = (req: Request) => parseInput(pathParams.caseId, req.params.id, 'id');
  const taskIdOf = (req: Request) => parseInput(pathParams.taskId, req.params.id, 'id');
  const bodyOf = (req: Request) => {
    csrf.assertChecked(req);
    return (req.body ?? {}) as FormBody;
  };

  web.get('/', (_req, res) => res.redirect(currentActor(res) ? '/tasks' : '/login'));

  const loginPage = (res: Response, form: { next: string; email?: string; error?: AppError }, status = 200) =>
    render(res, 'login', { title: translate(res.locals.locale as Locale, 'login.title'), ...form, demo: Boolean(options.mailCatcher) }, status);
  web.get('/login', (req, res) => loginPage(res, { next: sameOriginPath(req.query.next) }));
  // throttled per account and per address (429 with Retry-After); a refused login shows the form again
  const loginRefused = (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    loginPage(res, { next: sameOriginPath(field(bodyOf(req), 'next')), email: field(bodyOf(req), 'email'), error: appError }, appError.status);
  };
  const logIn: RequestHandler = async (req, res) => {
    const body = bodyOf(req);
    const next = sameOriginPath(field(body, 'next'));
    try {
      const session = await services.auth.login(field(body, 'email'), field(body, 'password'));
      res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, expires: session.expiresAt });
      rememberLocale(res, localeOf((await services.me.preferences(session.actor)).locale));
      res.redirect(next);
    } catch (error) {
      const appError = toAppError(error);
      loginPage(res, { next, email: field(body, 'email'), error: appError }, appError.status);
    }
  };
  web.post('/login', options.loginThrottle, logIn, loginRefused);
  // the language switcher on every page: the browser keeps the choice, and a signed-in user's preference follows it
  web.post('/language', async (req, res) => {
    const body = bodyOf(req);
    const locale = parseInput(preferencesBody.shape.locale.unwrap(), field(body, 'locale'), 'locale');
    const actor = currentActor(res);
    if (actor) await services.me.updatePreferences(actor, { locale });
    rememberLocale(res, locale);
    res.redirect(303, sameOriginPath(field(body, 'back'), '/'));
  });

  web.post('/logout', async (req, res) => {
    const token = sessionToken(req);
    if (token) await services.auth.logout(token);
    res.clearCookie(SESSION_COOKIE);
    res.redirect('/login');
  });

  web.get('/tasks', signedIn, async (req, res) => {
    render(res, 'tasks', { title: translate(res.locals.locale as Locale, 'inbox.title'), tasks: await services.tasks.inbox(actorOf(req)) });
  });

  // ---- one task: the form its kind needs ----

  const taskPage = async (actor: Actor, taskId: string, input: TaskInput | null, error?: AppError) => {
    const { task, caseView, mayComplete } = await services.tasks.getTask(actor, taskId);
    const program = await services.programs.version(caseView.programId, caseView.programVersion);
    const body = input?.body ?? {};
    const kind = task.kind as TaskKind;
    const model: Record<string, unknown> = {
      title: `${TASK_KIND_LABELS[kind] ?? task.kind} · ${caseView.enterprise.name}`,
      task,
      caseView,
      mayComplete,
      error,
      districts: program.districts,
      comment: field(body, 'comment'),
      outcome: field(body, 'outcome'),
      scores: scoreTable(caseView.selfEvaluation),
      [`is_${kind}`]: true,
    };
    switch (kind) {
      case 'review':
        if (task.adjustsScores && caseView.acceptance) {
          model.wide = true;
          model.adjustments = adjustmentView(program, caseView, prefixed(body, 'adjust.'), prefixed(body, 'adjustComment.'), error);
        }
        if (task.issuesCertificate) {
          model.certificate = { number: field(body, 'certificateNumber'), issuedOn: field(body, 'certificateIssuedOn') || localDate(new Date(), program.timeZone) };
        }
        break;
      case 'correct_application': {
        const form = input ? applicationFrom(body) : { ...caseView.application };
        const report = input ? input.files.creditReport : { id: caseView.application.creditReportFileId, name: '原企业近三年信用信息查询报告' };
        model.form = form;
        model.creditReport = report ?? null;
        break;
      }
      case 'self_compliance_item': {
        const item = program.selfCompliance.find((i) => i.key === task.subject);
        model.item = item && {
          key: item.key,
          title: item.title,
          upload: item.upload,
          fields: Object.entries(item.fields).map(([name, label]) => ({
            name,
            label,
            value: field(body, `field.${name}`),
            type: name.endsWith('On') ? 'date' : 'text',
            problem: problemFor(error, `fields.${name}`),
          })),
          document: input?.files.document ?? null,
        };
        break;
      }
      case 'acceptance_submission': {
        const previous = caseView.acceptance;
        const scores = input ? prefixed(body, 'score.') : (previous?.selfEvaluation.scores ?? {});
        const evidence = input ? input.evidence : (previous?.selfEvaluation.evidence ?? {});
        const kept = (name: 'workSummary' | 'internalEvaluation' | 'commitmentLetter', label: string) =>
          input ? (input.files[name] ?? null) : previous ? { id: previous[`${name}FileId`], name: `已提交的${label}` } : null;
        model.wide = true;
        model.sheet = sheetView(program.rubric, scores, evidence, error);
        model.rubric = { title: program.rubric.title, total: program.rubric.total };
        model.files = {
          workSummary: kept('workSummary', '工作总结报告'),
          internalEvaluation: kept('internalEvaluation', '内部评估报告'),
          commitmentLetter: kept('commitmentLetter', '信用承诺书'),
        };
        model.checklistOpen = caseView.checklist.filter((c) => !c.done);
        break;
      }
      default:
        break;
    }
    const spec = TASK_FORMS[kind];
    if (spec.form === 'generic') Object.assign(model, await genericTaskModel(actor, { task, caseView, mayComplete }, program, spec, input, error));
    return model;
  };

  /** The package a demonstration case binds and what it holds of it (empty for 贯标). */
  const packageHeld = (program: ProgramDefinition, caseView: { track: string }, demo: DemonstrationFacts | null): PackageHeld => ({
    items: program.tracks[caseView.track as TrackId]?.demonstration?.packageItems ?? [],
    materials: demo?.materials ?? {},
  });

  /** The objection behind an objection task: the objector's contact is for the offices that look into it. */
  const OBJECTION_READERS: ReadonlySet<string> = new Set(['city_officer', 'prefecture_officer', 'province_officer']);

  /**
   * A demonstration task's page: what the case holds that the decision needs (the contract, the
   * package, the appointment, the objection), and the form its kind's description asks for.
   */
  const genericTaskModel = async (
    actor: Actor,
    view: Awaited<ReturnType<typeof services.tasks.getTask>>,
    program: ProgramDefinition,
    spec: GenericTaskForm,
    input: TaskInput | null,
    error: AppError | undefined,
  ) => {
    const { task, caseView, mayComplete } = view;
    const kind = task.kind as TaskKind;
    const body = input?.body ?? {};
    const demo = await demonstrationFacts(services, actor, caseView, program);
    const held = packageHeld(program, caseView, demo);
    const context: Record<string, unknown> = {};
    for (const part of spec.context) {
      if (part === 'quota' && mayComplete) {
        context.quota = (await services.demonstration.quotas(actor, caseView.programId)).find((q) => q.track === caseView.track && q.stage === task.stage) ?? null;
      } else if (part === 'objection' && task.subject && OBJECTION_READERS.has(actor.role)) {
        const objection = await services.demonstration.objection(task.subject);
        context.objection = objection && { name: objection.name, contact: objection.contact, text: objection.text, filedAt: objection.filedAt };
      } else {
        context[part] = true;
      }
    }
    if (!mayComplete) return { demo, generic: { context, form: null } };

    const form: Record<string, unknown> = {
      outcomes: OUTCOMES_BY_KIND[kind].length > 1 ? outcomeChoices(kind, field(body, 'outcome')) : null,
      submit: spec.submit,
      comment: { ...spec.comment, value: field(body, 'comment') },
      materials: spec.materials(task, held).map((key) => ({
        name: materialField(key),
        title: materialTitle(key, held.items),
        kept: input?.files[materialField(key)] ?? null,
        held: held.materials[key] ?? null,
        // the package's completeness is the server's to judge: it names every missing item at once
        required: !held.materials[key] && !spec.context.includes('package'),
        problemPath: `materials.${key}`,
      })),
    };
    for (const part of spec.parts) {
      switch (part) {
        case 'agency':
          form.agency = { options: (await services.registers.agencies.list(actor)).filter((a) => a.active).map((a) => ({ ...a, selected: a.id === field(body, 'agencyId') })) };
          break;
        case 'consultant': {
          const agency = demo?.agency ? await services.registers.agencies.get(actor, demo.agency.id).catch(() => null) : null;
          form.consultant = {
            agencyName: agency?.name ?? demo?.agency?.name ?? '',
            options: (agency?.consultants ?? []).map((c) => ({ ...c, selected: c.userId === (input ? field(body, 'consultantUserId') : actor.userId) })),
            freeOfCharge: field(body, 'freeOfCharge') === 'true',
          };
          break;
        }
        case 'filing':
          form.filing = { number: field(body, 'filing.number'), filedOn: field(body, 'filing.filedOn') || localDate(new Date(), program.timeZone) };
          break;
        case 'survey':
          form.survey = { at: field(body, 'survey.at'), place: field(body, 'survey.place') };
          break;
        case 'findings': {
          const items = rubricItems(program.rubric);
          const rows = input ? findingRows(body) : [];
          // no script on the pages: 「增加行」 sends the form back for three more empty rows
          const empty = field(body, 'action') === 'more-rows' ? 3 : Math.max(3 - rows.length, 1);
          const shown = [...rows, ...Array.from({ length: empty }, () => ({ itemId: '', finding: '' }))];
          form.findings = shown.map((row, index) => ({
            index,
            number: index + 1,
            finding: row.finding,
            options: items.map((item) => ({ id: item.id, title: `${item.id} ${item.title}`, selected: item.id === row.itemId })),
          }));
          break;
        }
        case 'evaluation':
          form.sheet = sheetView(program.rubric, input ? prefixed(body, 'score.') : {}, input?.evidence ?? {}, error, 'evaluation');
          form.rubric = { title: program.rubric.title, total: program.rubric.total };
          break;
        case 'correctionDueOn':
          form.correctionDueOn = { value: field(body, 'correctionDueOn') };
          break;
      }
    }
    return { demo, generic: { context, form }, ...(spec.parts.includes('evaluation') ? { wide: true } : {}) };
  };

  /** The completion body of a task's form, shaped like completeTaskBody for its kind. */
  const payloadFor = (kind: TaskKind, task: { adjustsScores: boolean; issuesCertificate: boolean }, program: ProgramDefinition, input: TaskInput) => {
    const { body, files } = input;
    const comment = field(body, 'comment') || undefined;
    switch (kind) {
      case 'review': {
        const outcome = field(body, 'outcome') || undefined;
        const adjustments = task.adjustsScores ? chosenAdjustments(program.rubric, prefixed(body, 'adjust.'), prefixed(body, 'adjustComment.')) : [];
        return {
          outcome,
          comment,
          ...(adjustments.length ? { scoreAdjustments: adjustments } : {}),
          ...(task.issuesCertificate && outcome === 'approve' ? { certificate: { number: field(body, 'certificateNumber'), issuedOn: field(body, 'certificateIssuedOn') } } : {}),
        };
      }
      case 'correct_application':
        return { outcome: 'resubmit', comment, application: { ...applicationFrom(body), creditReportFileId: files.creditReport?.id ?? '' } };
      case 'self_compliance_item':
        return { outcome: 'done', comment, fields: prefixed(body, 'field.'), ...(files.document ? { fileIds: [files.document.id] } : {}) };
      case 'acceptance_submission':
        return {
          outcome: 'submit',
          comment,
          acceptance: {
            workSummaryFileId: files.workSummary?.id ?? '',
            internalEvaluationFileId: files.internalEvaluation?.id ?? '',
            commitmentLetterFileId: files.commitmentLetter?.id ?? '',
            selfEvaluation: { scores: prefixed(body, 'score.'), evidence: input.evidence },
          },
        };
      case 'guidance':
      case 'consultant_review':
        return { outcome: 'done', comment };
      case 'forward':
        throw new AppError('unprocessable', '汇总报送请在「汇总报送」页面勾选案件后办理 (cases are forwarded in a batch)', [{ path: 'outcome', rule: 'use /batches' }]);
      default:
        // the demonstration kinds' forms are described in taskForms.ts (genericPayload)
        throw new AppError('internal', `no form for task kind ${kind}`);
    }
  };

  web.get('/tasks/:id', signedIn, async (req, res) => {
    render(res, 'task', await taskPage(actorOf(req), taskIdOf(req), null));
  });

  web.post('/tasks/:id/complete', signedIn, ...uploadForm, async (req, res) => {
    const actor = actorOf(req);
    const taskId = taskIdOf(req);
    const body = bodyOf(req);
    const input: TaskInput = { body, files: {}, evidence: {} };
    // a demonstration form's refusal is shown in Chinese, its uploads named by the package's titles
    let refusalInChinese: ((error: AppError) => AppError) | null = null;
    try {
      // who may complete it comes before anything they sent is looked at or kept
      await services.tasks.requireCompletable(actor, taskId);
      const view = await services.tasks.getTask(actor, taskId);
      const { task, caseView } = view;
      const kind = task.kind as TaskKind;
      const spec = TASK_FORMS[kind];
      const program = await services.programs.version(caseView.programId, caseView.programVersion);
      let materialKeys: readonly string[] = [];
      if (spec.form === 'generic') {
        const held = packageHeld(program, caseView, await demonstrationFacts(services, actor, caseView, program));
        materialKeys = spec.materials(task, held);
        refusalInChinese = (error) => inChinese(error, held.items);
      }
      const fileFields = spec.form === 'generic' ? materialKeys.map(materialField) : (TASK_FILE_FIELDS[kind] ?? []);
      // files kept from an earlier refused submit stay in the form even if this one refuses again
      for (const name of fileFields) input.files[name] = keptFile(body, new Map(), name);
      for (const [itemId, ids] of Object.entries(prefixed(body, 'evidenceIds.'))) input.evidence[itemId] = ids.split(',').filter(Boolean);
      throwUploadError(req);
      const stored = await storeUploads(services.files, actor, req);
      for (const name of fileFields) input.files[name] = keptFile(body, stored, name);
      for (const [fieldName, list] of stored) {
        if (!fieldName.startsWith('evidence.')) continue;
        const itemId = fieldName.slice('evidence.'.length);
        input.evidence[itemId] = [...(input.evidence[itemId] ?? []), ...list.map((f) => f.id)];
      }
      // more rows for the findings: the form comes back with what was typed, nothing is completed
      if (spec.form === 'generic' && field(body, 'action') === 'more-rows') return render(res, 'task', await taskPage(actor, taskId, input));
      const payload =
        spec.form === 'generic'
          ? genericPayload(kind, spec, task, { body, evidence: input.evidence, materials: Object.fromEntries(materialKeys.map((key) => [key, input.files[materialField(key)] ?? null])) } satisfies GenericInput)
          : payloadFor(kind, task, program, input);
      const parsed = parseInput(completeTaskBody, payload);
      const after = await services.tasks.completeTask(actor, taskId, parsed);
      res.redirect(303, `/cases/${encodeURIComponent(after.id)}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      const shown = refusalInChinese ? refusalInChinese(appError) : appError;
      render(res, 'task', await taskPage(actor, taskId, input, shown), appError.status);
    }
  });

  // ---- cases ----

  web.get('/cases', signedIn, async (req, res) => {
    render(res, 'cases', { title: translate(res.locals.locale as Locale, 'cases.title'), cases: await services.cases.listCases(actorOf(req)) });
  });

  const casePage = async (actor: Actor, caseId: string, extra: Record<string, unknown> = {}) => {
    const caseView = await services.cases.getCase(actor, caseId);
    const program = await services.programs.version(caseView.programId, caseView.programVersion);
    const demo = await demonstrationFacts(services, actor, caseView, program);
    const checklistTitles = new Map(caseView.checklist.map((c) => [c.key, c.title]));
    // a task's jurisdiction is the district code or the enterprise's own credit code: name the district, skip the rest
    const placeOf = (jurisdiction: string | null | undefined) => (jurisdiction === caseView.enterprise.district ? caseView.enterprise.districtName : null);
    const mayEngageConsultant = actor.role === 'enterprise' && caseView.status === 'active' && caseView.stage === 'self_compliance';
    // the directory chosen from; after a refusal the choice sent stays chosen
    const chosenConsultant = typeof extra.consultantUserId === 'string' ? extra.consultantUserId : caseView.consultantUserId;
    return {
      title: caseView.enterprise.name,
      caseView,
      deadlines: deadlineList(caseView),
      scores: scoreTable(caseView.selfEvaluation),
      checklistDone: caseView.checklist.filter((c) => c.done).length,
      tasks: caseView.tasks.map((t) => ({ ...t, subjectTitle: t.subject ? (checklistTitles.get(t.subject) ?? null) : null, where: placeOf(t.jurisdiction) })),
      decisions: caseView.decisions.map((d) => ({ ...d, subjectTitle: d.subject ? (checklistTitles.get(d.subject) ?? null) : null })),
      mayEngageConsultant,
      consultantDirectory: mayEngageConsultant ? consultantChoices(await services.registers.agencies.directory(actor), chosenConsultant) : [],
      engagedConsultant: engagedAs(caseView.consultant),
      demo,
      documents: (await services.documents.list(actor, caseId)).map((d) => ({ ...d, mayHandBack: mayHandBackScans(actor, d) })),
      ...extra,
    };
  };

  web.get('/cases/:id', signedIn, async (req, res) => {
    render(res, 'case', await casePage(actorOf(req), caseIdOf(req)));
  });

  // a document to print, sign and stamp: printed (or the one printed before from the same input), then
  // downloaded; a package still being bound is followed on its own page
  web.post('/cases/:id/documents/:documentKind', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    try {
      const kind = parseInput(pathParams.documentKind, req.params.documentKind, 'documentKind');
      const printed = await services.documents.print(actor, caseId, kind);
      res.redirect(303, printed.status === 'ready' ? `/api/files/${printed.fileId}` : `/cases/${encodeURIComponent(caseId)}/documents/${kind}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status === 404) throw appError;
      render(res, 'case', await casePage(actor, caseId, { error: appError }), appError.status);
    }
  });

  web.get('/cases/:id/documents/:documentKind', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    const kind = parseInput(pathParams.documentKind, req.params.documentKind, 'documentKind');
    const caseView = await services.cases.getCase(actor, caseId);
    const document = await services.documents.status(actor, caseId, kind);
    render(res, 'document', { title: document.label, caseView, document: { ...document, mayHandBack: mayHandBackScans(actor, document) } });
  });

  // the signed and stamped form, scanned, handed back against the printed document
  web.post('/cases/:id/documents/:documentKind/scans', signedIn, ...uploadForm, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    try {
      const kind = parseInput(pathParams.documentKind, req.params.documentKind, 'documentKind');
      await services.documents.requireScanHandler(actor, caseId, kind);
      throwUploadError(req);
      const scan = (await storeUploads(services.files, actor, req)).get('scan')?.[0];
      if (!scan) throw new AppError('bad_request', '请选择签字盖章后的扫描件 (choose the signed scan)', [{ path: 'scan', rule: '必填 (required)' }]);
      await services.documents.attachSignedScan(actor, caseId, kind, scan.id);
      res.redirect(303, `/cases/${encodeURIComponent(caseId)}#documents`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status === 404) throw appError;
      render(res, 'case', await casePage(actor, caseId, { error: appError }), appError.status);
    }
  });

  web.post('/cases/:id/consultant', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    const consultantUserId = field(bodyOf(req), 'consultantUserId').trim();
    try {
      await services.cases.requireConsultantEngager(actor, caseId);
      const parsed = parseInput(consultantBody, { consultantUserId });
      await services.cases.assignConsultant(actor, caseId, parsed.consultantUserId);
      res.redirect(303, `/cases/${encodeURIComponent(caseId)}`);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'case', await casePage(actor, caseId, { error: appError, consultantUserId }), appError.status);
    }
  });

  // an office sends a failed or uncertain mail again (the same use case as POST /api/notifications/:key/resend)
  web.post('/cases/:id/notifications/:notificationKey/resend', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    try {
      const notificationKey = parseInput(pathParams.notificationKey, req.params.notificationKey, 'notificationKey');
      await services.notifications.resend(actor, notificationKey, caseId);
      res.redirect(303, `/cases/${encodeURIComponent(caseId)}`);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'case', await casePage(actor, caseId, { error: appError }), appError.status);
    }
  });

  // ---- 申报 (attachment 2): 贯标, 苏州市级示范, 江苏省级示范 ----

  /** The tracks the program takes applications for, with what each asks of the enterprise first. */
  const openTracks = (program: ProgramDefinition) =>
    Object.values(program.tracks)
      .filter((t) => t.acceptanceReview.length || t.demonstration)
      .map((t) => {
        const prerequisite = t.demonstration?.prerequisite;
        const needed = prerequisite ? (program.tracks[prerequisite.certificate]?.name ?? prerequisite.certificate) : null;
        const deadline = t.deadlines.application ?? t.deadlines.recommendation;
        return {
          id: t.id,
          label: TRACK_LABELS[t.id] ?? t.name,
          name: t.name,
          prerequisite: prerequisite ? `须通过${needed}验收${prerequisite.minYears}年以上，且近3年无严重失信行为` : null,
          dueAt: deadline ? programDeadline(program, deadline) : null,
        };
      });

  /** The track asked for, if the program takes it; else 贯标. */
  const chosenTrack = (program: ProgramDefinition, value: unknown): TrackId => openTracks(program).find((t) => t.id === value)?.id ?? 'standard';

  const applyPage = async (actor: Actor, track: TrackId, form: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const program = await services.programs.current();
    const existing = (await services.cases.listCases(actor)).find((c) => c.programId === program.id && c.track === track);
    const tracks = openTracks(program).map((t) => ({ ...t, checked: t.id === track }));
    const label = TRACK_LABELS[track] ?? track;
    return { title: `${label}申报`, program, track, trackTitle: label, tracks, demonstration: track !== 'standard', form, existing: existing ?? null, ...extra };
  };

  web.get('/apply', signedIn, async (req, res) => {
    const actor = actorOf(req);
    if (actor.role !== 'enterprise') throw new AppError('forbidden', '只有企业用户可以申报 (only an enterprise applies)');
    const program = await services.programs.current();
    const track = chosenTrack(program, req.query.track);
    const draft = await services.enterprises.draft(actor, program.id, track);
    const form = { uscc: actor.scopeId ?? '', ...(draft?.form ?? {}) };
    render(res, 'apply', await applyPage(actor, track, form, { draftSavedAt: draft?.updatedAt ?? null, creditReport: draft?.form.creditReportFileId ? { id: draft.form.creditReportFileId, name: '草稿中已上传的报告' } : null }));
  });

  web.post('/apply', signedIn, ...uploadForm, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const form = applicationFrom(body);
    let creditReport = keptFile(body, new Map(), 'creditReport');
    let track: TrackId = 'standard';
    try {
      if (actor.role !== 'enterprise') throw new AppError('forbidden', '只有企业用户可以申报 (only an enterprise applies)');
      throwUploadError(req);
      const program = await services.programs.current();
      track = chosenTrack(program, field(body, 'track'));
      creditReport = keptFile(body, await storeUploads(services.files, actor, req), 'creditReport');
      form.creditReportFileId = creditReport?.id ?? '';
      if (field(body, 'action') === 'draft') {
        const draft = await services.enterprises.saveDraft(actor, program.id, track, parseInput(draftSchema, { application: draftFrom(form) }));
        return render(res, 'apply', await applyPage(actor, track, form, { creditReport, draftSavedAt: draft.updatedAt, notice: '草稿已保存。' }));
      }
      const parsed = parseInput(submitApplicationBody, { programId: program.id, track, application: form });
      const caseView = await services.cases.submitApplication(actor, parsed);
      res.redirect(303, `/cases/${encodeURIComponent(caseView.id)}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      render(res, 'apply', await applyPage(actor, track, form, { creditReport, error: appError }), appError.status);
    }
  });

  // ---- 汇总报送 ----

  const batchesPage = async (actor: Actor, extra: Record<string, unknown> = {}) => {
    const batches = await services.batches.list(actor);
    const inbox = await services.tasks.inbox(actor);
    const waiting = actor.role === 'district_officer' ? inbox.filter((t) => t.kind === 'forward') : [];
    const myTasks = new Map(inbox.filter((t) => t.kind !== 'forward').map((t) => [t.caseId, t.id]));
    const cases = new Map((await services.cases.listCases(actor)).map((c) => [c.id, c]));
    const programs = new Map<string, Promise<ProgramDefinition>>();
    const programOf = (id: string) => programs.get(id) ?? programs.set(id, services.programs.latest(id)).get(id)!;
    const rows = await Promise.all(
      batches.map(async (b) => {
        const program = await programOf(b.programId).catch(() => null);
        return {
          id: b.id,
          number: b.number,
          track: b.track,
          districtName: program?.districts.find((d) => d.code === b.district)?.name ?? b.district,
          forwardedAt: b.forwardedAt,
          forwardedByName: b.forwardedByName,
          count: b.caseIds.length,
          cases: b.caseIds.map((id) => ({ id, name: cases.get(id)?.enterpriseName ?? id, stage: cases.get(id)?.stage ?? null, taskId: myTasks.get(id) ?? null })),
        };
      }),
    );
    // 汇总表 to print: a district office its district's, the city its whole city's
    const lists = actor.role === 'district_officer' || actor.role === 'city_officer' ? await services.programs.list() : [];
    const summaryList = lists.length
      ? {
          programs: lists.map((p) => ({ id: p.id, title: p.title })),
          tracks: TRACKS.filter((id) => lists[0]!.tracks[id]).map((id) => ({ id, label: lists[0]!.tracks[id]!.name })),
          scopeLabel: actor.role === 'district_officer' ? (lists[0]!.districts.find((d) => d.code === actor.scopeId)?.name ?? actor.scopeId) : '全市',
        }
      : null;
    return { title: '汇总报送', mayForward: actor.role === 'district_officer', waiting, batches: rows, selected: [], summaryList, ...extra };
  };

  web.get('/batches', signedIn, async (req, res) => {
    const created = typeof req.query.forwarded === 'string' ? req.query.forwarded : null;
    render(res, 'batches', await batchesPage(actorOf(req), { created }));
  });

  web.post('/batches', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseIds = fields(bodyOf(req), 'caseIds');
    try {
      if (actor.role !== 'district_officer') throw new AppError('forbidden', '汇总报送由镇（区）经发中心办理 (a district office forwards its own cases)');
      const batch = await services.batches.forward(actor, parseInput(batchBody, { caseIds }).caseIds);
      res.redirect(303, `/batches?forwarded=${encodeURIComponent(batch.id)}`);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'batches', await batchesPage(actor, { error: appError, selected: caseIds }), appError.status);
    }
  });

  // a 汇总表 to print, stamp and send on: printed (or the one printed before from the same cases), then downloaded
  web.post('/batches/summary-list', signedIn, async (req, res) => {
    const actor = actorOf(req);
    if (summaryListAccess(actor, ownSummaryListDistrict(actor)) !== 'allowed') throw new AppError('forbidden', '汇总表由镇（区）经发中心和市经信委打印 (for the district and city offices)');
    const body = bodyOf(req);
    try {
      const programId = parseInput(pathParams.programId, field(body, 'programId'), 'programId');
      const track = parseInput(pathParams.track, field(body, 'track'), 'track');
      const printed = await services.summaryLists.print(actor, programId, track, undefined);
      res.redirect(303, `/api/files/${printed.fileId}`);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'batches', await batchesPage(actor, { error: appError }), appError.status);
    }
  });

  // ---- 推荐名额: what is left of each quota the office recommends within, and its waiting recommendations ----

  web.get('/recommendations', signedIn, async (req, res) => {
    const actor = actorOf(req);
    if (!RECOMMENDING_ROLES.has(actor.role)) throw new AppError('forbidden', '推荐名额仅供镇（区）、市经信委和苏州市信用办查看 (for the recommending offices)');
    const programId = typeof req.query.programId === 'string' ? parseInput(pathParams.programId, req.query.programId, 'programId') : undefined;
    const quotas = await services.demonstration.quotas(actor, programId);
    const waiting = (await services.tasks.inbox(actor)).filter((t) => t.kind === 'recommend');
    const cases = new Map((await services.cases.listCases(actor)).map((c) => [c.id, c]));
    render(res, 'recommendations', {
      title: '推荐名额',
      quotas: quotas.map((q) => ({ ...q, cases: q.recommended.map((id) => ({ id, name: cases.get(id)?.enterpriseName ?? id })) })),
      waiting: waiting.map((t) => ({ ...t, track: cases.get(t.caseId)?.track ?? '' })),
    });
  });

  // ---- 验收时间另行通知: the acceptor sets one date and place for a group of waiting cases ----

  const acceptanceSchedulesPage = async (actor: Actor, extra: Record<string, unknown> = {}) => {
    if (!ACCEPTOR_ROLES.has(actor.role)) throw new AppError('forbidden', '验收时间由苏州市信用办或江苏省信用办安排 (the acceptors set acceptance dates)');
    const cases = new Map((await services.cases.listCases(actor)).map((c) => [c.id, c]));
    const waiting = (await services.tasks.inbox(actor))
      .filter((t) => t.kind === 'acceptance')
      .map((t) => ({ ...t, track: cases.get(t.caseId)?.track ?? '', district: cases.get(t.caseId)?.district ?? '' }));
    return { title: '验收安排', unscheduled: waiting.filter((t) => !t.dueAt), scheduled: waiting.filter((t) => t.dueAt), selected: [], form: { at: '', place: '' }, ...extra };
  };

  web.get('/acceptance-schedules', signedIn, async (req, res) => {
    render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actorOf(req)));
  });

  web.post('/acceptance-schedules', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const caseIds = fields(body, 'caseIds');
    const form = { at: field(body, 'at'), place: field(body, 'place') };
    if (!ACCEPTOR_ROLES.has(actor.role)) throw new AppError('forbidden', '验收时间由苏州市信用办或江苏省信用办安排 (the acceptors set acceptance dates)');
    try {
      const scheduled = await services.demonstration.scheduleAcceptance(actor, parseInput(acceptanceScheduleBody, { caseIds, ...form }));
      render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actor, { done: scheduled }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actor, { error: appError, selected: caseIds, form }), appError.status);
    }
  });

  // ---- 公示: public, no login; anyone may object (rate-limited per address, CSRF as on the login page) ----

  const publicityPage = async (extra: Record<string, unknown> = {}) => ({ title: '示范企业公示', cases: await services.demonstration.publicity(), form: {}, ...extra });

  // 证书核验: the public page a certificate's QR code leads to (no login; rate-limited)
  const verifyThrottle = publicThrottle(VERIFY_LIMIT);
  web.get('/verify/:certificateNumber', verifyThrottle, async (req, res) => {
    const certificateNumber = parseInput(pathParams.certificateNumber, req.params.certificateNumber, 'certificateNumber');
    const check = await services.registers.certificates.verify(certificateNumber);
    render(res, 'verify', { title: '证书核验', check, trackName: check.status === 'unknown' ? null : CERTIFICATE_TITLES[check.track] }, check.status === 'unknown' ? 404 : 200);
  });

  web.get('/publicity', async (req, res) => {
    const filed = typeof req.query.filed === 'string' ? req.query.filed : null;
    render(res, 'publicity', await publicityPage({ filed }));
  });

  const { objectionThrottle } = options;
  const objectionForm = (req: Request) => {
    const body = bodyOf(req);
    return { caseId: String(req.params.caseId ?? ''), name: field(body, 'name'), contact: field(body, 'contact'), text: field(body, 'text') };
  };
  /** A refused objection (a bad form, a case no longer in publicity, too many) shows the page again, what was typed kept. */
  const objectionRefused = async (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
    render(res, 'publicity', await publicityPage({ error: appError, form: objectionForm(req) }), appError.status);
  };
  const fileObjection: RequestHandler = async (req, res) => {
    const { caseId, ...objection } = objectionForm(req);
    const id = parseInput(pathParams.caseId, caseId, 'caseId');
    await services.demonstration.fileObjection(id, parseInput(objectionBody, objection));
    res.redirect(303, `/publicity?filed=${encodeURIComponent(id)}`);
  };
  web.post('/publicity/:caseId/objections', objectionThrottle, fileObjection, objectionRefused);

  // ---- 延期 (city office) ----

  const extensionsPage = async (actor: Actor, form: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    if (actor.role !== 'city_officer') throw new AppError('forbidden', '延期由市经信委办理 (only the city office grants extensions)');
    const programs = await services.programs.list();
    return {
      title: '延期',
      programs: programs.map((p) => ({ id: p.id, title: p.title })),
      tracks: TRACKS.map((id) => ({ id, label: TRACK_LABELS[id] ?? id })),
      deadlineNames: Object.entries(DEADLINE_LABELS).map(([name, label]) => ({ name, label })),
      form,
      ...extra,
    };
  };

  web.get('/extensions', signedIn, async (req, res) => {
    const current = await services.programs.current().catch(() => null);
    render(res, 'extensions', await extensionsPage(actorOf(req), { programId: current?.id ?? '', track: 'standard', deadline: 'application', dueTime: '23:59' }));
  });

  web.post('/extensions', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const form = Object.fromEntries(['programId', 'track', 'uscc', 'deadline', 'dueDate', 'dueTime', 'reason'].map((name) => [name, field(body, name)]));
    try {
      const granted = await services.cases.grantExtension(actor, parseInput(extensionBody, { ...form, dueTime: form.dueTime || undefined }));
      render(res, 'extensions', await extensionsPage(actor, { ...form, reason: '' }, { granted }));
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'extensions', await extensionsPage(actor, form, { error: appError }), appError.status);
    }
  });

  // ---- 通知设置: digest or single reminders, mail language, private calendar feed ----

  web.get('/me', signedIn, async (req, res) => {
    render(res, 'me', { preferences: await services.me.preferences(actorOf(req)) });
  });

  web.post('/me', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const intent = field(body, 'intent');
    let feedUrl: string | null = null;
    if (intent === 'calendar-issue') feedUrl = (await services.me.issueCalendarToken(actor)).url;
    else if (intent === 'calendar-revoke') await services.me.revokeCalendarToken(actor);
    else await services.me.updatePreferences(actor, parseInput(preferencesBody, { digest: field(body, 'digest') === 'on', locale: field(body, 'locale') || undefined }));
    const preferences = await services.me.preferences(actor);
    // the pages follow the language chosen here from the next page on
    rememberLocale(res, localeOf(preferences.locale));
    render(res, 'me', { preferences, feedUrl, saved: intent !== 'calendar-issue' });
  });

  // ---- 邮件模板预览 (admin): every template in every locale, rendered with its sample data ----

  let mailTemplates: RenderMail | null = null;
  const renderMail: RenderMail = (template, data, locale) => (mailTemplates ??= loadMailTemplates())(template, data, locale);
  const adminOnly = (req: Request) => {
    if (actorOf(req).role !== 'admin') throw new AppError('forbidden', '邮件模板预览仅限系统管理员 (admins only)');
  };

  web.get('/admin/mail-templates', signedIn, (req, res) => {
    adminOnly(req);
    const templates = MAIL_TEMPLATES.map((name) => ({
      name,
      label: MAIL_TEMPLATE_LABELS[name],
      locales: MAIL_LOCALES.map((locale) => ({ locale, subject: renderMail(name, SAMPLE_DATA[name], locale).subject })),
    }));
    render(res, 'mailTemplates', { title: '邮件模板', wide: true, templates });
  });

  const previewOf = (req: Request) => {
    adminOnly(req);
    const template = String(req.params.template);
    const locale = typeof req.query.locale === 'string' ? req.query.locale : 'zh-CN';
    if (!isMailTemplate(template) || !isMailLocale(locale)) throw new AppError('not_found', `没有邮件模板 ${template}（${locale}）(no such mail template)`);
    return { template, locale, data: SAMPLE_DATA[template] };
  };

  web.get('/admin/mail-templates/:template', signedIn, (req, res) => {
    const { template, locale, data } = previewOf(req);
    render(res, 'mailTemplates', {
      title: `邮件模板 · ${template}`,
      wide: true,
      preview: { name: template, label: MAIL_TEMPLATE_LABELS[template], locale, locales: MAIL_LOCALES, mail: renderMail(template, data, locale), data },
    });
  });

  // the HTML part on its own, for the preview's sandboxed frame: mail needs inline styles, the pages allow none
  web.get('/admin/mail-templates/:template/html', signedIn, (req, res) => {
    const { template, locale, data } = previewOf(req);
    sandboxedHtml(res, renderMail(template, data, locale).html);
  });

  if (options.mailCatcher) {
    const catcher = options.mailCatcher;
    // caught mail holds every user's links and names: admins only; to anyone else the page does not exist
    web.get('/dev/mail', signedIn, (req, res) => {
      if (actorOf(req).role !== 'admin') throw new AppError('not_found', '页面不存在 (page not found)');
      render(res, 'mail', { title: '本地邮件', messages: [...catcher.messages].reverse(), smtp: catcher.url });
    });
  }

  dashboardPages(web, { services, render, signedIn });

  web.use((_req: Request, res: Response) => render(res, 'error', { error: new AppError('not_found', '页面不存在 (page not found)') }, 404));
  web.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
    render(res, 'error', { error: appError }, appError.status);
  });
  return web;
}
