import { completeTaskBody } from '../../features/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { loggable } from '../../infra/db/dbErrors.ts';
import { type TaskKind } from '../../domain/case/model.ts';
import { OUTCOMES_BY_KIND, TASK_KIND_LABELS } from '../../domain/tasks/index.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { localDate } from '../../domain/program/calendar.ts';
import { type ProgramDefinition, type TrackId } from '../../domain/program/types.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import { applicationFrom, field, type FormBody, type KeptFile, keptFile, prefixed, storeUploads, throwUploadError } from '../forms.ts';
import {
  acceptanceDraftBody,
  acceptanceFileIds,
  acceptanceFilesView,
  acceptanceFormRefusal,
  acceptanceFormState,
  chosenAdjustments,
  keptEvidence,
  reviewSheetView,
  scoreTable,
  sheetView,
  submittedFileIds,
  withUploadedEvidence,
} from '../scoreSheet.ts';
import { taskDraftBody } from '../../features/tasks/taskDrafts.ts';
import { demonstrationFacts, type DemonstrationFacts } from '../demonstration.ts';
import { TASK_FORMS, findingRows, genericPayload, inChinese, materialField, materialTitle, outcomeChoices, type GenericInput, type GenericTaskForm, type PackageHeld } from '../taskForms.ts';
import { checklistFieldViews, checklistItemTitle, checklistTitles, decisionsBefore } from '../taskPageContext.ts';
import { labelsFor, type Locale } from '../../domain/i18n/labels.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express, Request } from 'express';

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

/** The acceptance materials' form as handed in: levels, evidence, documents, remarks. */
const acceptanceInput = (input: TaskInput) => ({ scores: prefixed(input.body, 'score.'), evidence: input.evidence, files: input.files, comment: field(input.body, 'comment') });

/** One task: the form its kind needs. */
export function taskPages(web: Express, kit: PageKit): void {
  const { uploadForm, services, render, signedIn, actorOf, bodyOf, taskIdOf } = kit;
  // ---- one task: the form its kind needs ----

  const taskPage = async (actor: Actor, taskId: string, input: TaskInput | null, error?: AppError, locale: Locale = 'zh-CN') => {
    const { task, caseView, mayComplete } = await services.tasks.getTask(actor, taskId);
    const program = await services.programs.version(caseView.programId, caseView.programVersion);
    const body = input?.body ?? {};
    const kind = task.kind as TaskKind;
    const model: Record<string, unknown> = {
      title: `${labelsFor(locale).taskKind(kind, TASK_KIND_LABELS[kind] ?? task.kind)} · ${caseView.enterprise.name}`,
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
    // what came before the task: the offices' earlier decisions for a reviewer, the return for whoever corrects
    Object.assign(model, decisionsBefore(caseView, task, checklistTitles(program.selfCompliance, locale), locale));
    switch (kind) {
      case 'review':
        model.creditReportName = (await services.files.names(actor, [caseView.application.creditReportFileId])).get(caseView.application.creditReportFileId) ?? null;
        if (caseView.acceptance) {
          // the acceptance check: every item's level, points and evidence by name; adjustments beside them
          const names = await services.files.names(actor, submittedFileIds(caseView.acceptance));
          const adjusting = task.adjustsScores && mayComplete ? { chosen: prefixed(body, 'adjust.'), comments: prefixed(body, 'adjustComment.'), error } : null;
          model.wide = true;
          model.acceptanceFiles = acceptanceFilesView(caseView.acceptance, names);
          model.reviewSheet = reviewSheetView(program, caseView, names, adjusting);
          model.adjusting = adjusting !== null;
        }
        if (task.issuesCertificate) {
          model.certificate = { number: field(body, 'certificateNumber'), issuedOn: field(body, 'certificateIssuedOn') || localDate(new Date(), program.timeZone) };
        }
        break;
      case 'correct_application': {
        const form = input ? applicationFrom(body) : { ...caseView.application };
        const reportId = caseView.application.creditReportFileId;
        const report = input ? input.files.creditReport : { id: reportId, name: (await services.files.names(actor, [reportId])).get(reportId) ?? '' };
        model.form = form;
        model.creditReport = report ?? null;
        break;
      }
      case 'self_compliance_item': {
        const item = program.selfCompliance.find((i) => i.key === task.subject);
        if (!item) break;
        // the item's title heads the page and the form; each field typed by its rule (a count, a date passed)
        const title = checklistItemTitle(item, locale);
        model.title = `${title} · ${caseView.enterprise.name}`;
        model.item = {
          key: item.key,
          title,
          upload: item.upload,
          fields: checklistFieldViews(item, prefixed(body, 'field.'), localDate(new Date(), program.timeZone), locale),
          document: input?.files.document ?? null,
        };
        break;
      }
      case 'acceptance_submission': {
        // what was just handed in, else the draft, else what was submitted before (a return)
        const draft = !input && mayComplete ? await services.taskDrafts.read(actor, taskId) : null;
        const state = acceptanceFormState(input && acceptanceInput(input), draft, caseView.acceptance);
        const names = await services.files.names(actor, acceptanceFileIds(state));
        const document = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
        model.wide = true;
        model.sheet = sheetView(program.rubric, state.scores, state.evidence, names, error);
        model.rubric = { title: program.rubric.title, total: program.rubric.total };
        model.files = { workSummary: document(state.documents.workSummary), internalEvaluation: document(state.documents.internalEvaluation), commitmentLetter: document(state.documents.commitmentLetter) };
        model.comment = state.comment;
        model.draft = draft && { savedAt: draft.savedAt, savedBy: draft.savedBy };
        model.checklistOpen = caseView.checklist.filter((c) => !c.done).map((c) => c.title);
        break;
      }
      default:
        break;
    }
    const spec = TASK_FORMS[kind];
    if (spec.form === 'generic') Object.assign(model, await genericTaskModel(actor, { task, caseView, mayComplete }, program, spec, input, error, locale));
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
    locale: Locale = 'zh-CN',
  ) => {
    const { task, caseView, mayComplete } = view;
    const kind = task.kind as TaskKind;
    const body = input?.body ?? {};
    const facts = await demonstrationFacts(services, actor, caseView, program);
    const held = packageHeld(program, caseView, facts);
    // the case's uploads by their names, never "文件1"
    const fileNames = await services.files.names(actor, Object.values(held.materials));
    const demo = facts && { ...facts, packageItems: facts.packageItems.map((i) => ({ ...i, files: i.files.map((f) => ({ ...f, name: f.fileId ? (fileNames.get(f.fileId) ?? null) : null })) })) };
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
    const named = { fileNames: Object.fromEntries(fileNames) };
    if (!mayComplete) return { demo, ...named, generic: { context, form: null } };

    const form: Record<string, unknown> = {
      outcomes: OUTCOMES_BY_KIND[kind].length > 1 ? outcomeChoices(kind, field(body, 'outcome')) : null,
      submit: spec.submit,
      comment: { ...spec.comment, value: field(body, 'comment') },
      materials: spec.materials(task, held).map((key) => ({
        name: materialField(key),
        title: materialTitle(key, held.items, locale),
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
        case 'evaluation': {
          const evidence = input?.evidence ?? {};
          form.sheet = sheetView(program.rubric, input ? prefixed(body, 'score.') : {}, evidence, await services.files.names(actor, Object.values(evidence).flat()), error, 'evaluation');
          form.rubric = { title: program.rubric.title, total: program.rubric.total };
          break;
        }
        case 'correctionDueOn':
          form.correctionDueOn = { value: field(body, 'correctionDueOn') };
          break;
      }
    }
    return { demo, ...named, generic: { context, form }, ...(spec.parts.includes('evaluation') ? { wide: true } : {}) };
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
      case 'acceptance_submission': {
        // everything the form still lacks at once (documents, items without a level), as the form names it
        const refusal = acceptanceFormRefusal(program.rubric, acceptanceFormState(acceptanceInput(input), null, null));
        if (refusal) throw refusal;
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
      }
      case 'guidance':
      case 'consultant_review':
        return { outcome: 'done', comment };
      case 'forward':
        throw new AppError('unprocessable', '汇总报送请在「汇总报送」页面勾选案件后办理 (cases are forwarded in a batch)', [{ path: 'outcome', rule: '请在「汇总报送」页面办理 (use the batches page)' }]);
      default:
        // the demonstration kinds' forms are described in taskForms.ts (genericPayload)
        throw new AppError('internal', `no form for task kind ${kind}`);
    }
  };

  /**
   * The files a task's form carries and sends: those kept from before first (so a refusal still shows
   * them), but the evidence ticked for removal; then the uploads, checked and stored.
   */
  const receiveFiles = async (req: Request, actor: Actor, input: TaskInput, fileFields: readonly string[]) => {
    for (const name of fileFields) input.files[name] = keptFile(input.body, new Map(), name);
    input.evidence = keptEvidence(input.body);
    throwUploadError(req);
    const stored = await storeUploads(services.files, actor, req);
    for (const name of fileFields) input.files[name] = keptFile(input.body, stored, name);
    input.evidence = withUploadedEvidence(input.evidence, stored);
  };

  web.get('/tasks/:id', signedIn, async (req, res) => {
    render(res, 'task', await taskPage(actorOf(req), taskIdOf(req), null, undefined, res.locals.locale as Locale));
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
      await receiveFiles(req, actor, input, fileFields);
      // more rows for the findings: the form comes back with what was typed, nothing is completed
      if (spec.form === 'generic' && field(body, 'action') === 'more-rows') return render(res, 'task', await taskPage(actor, taskId, input, undefined, res.locals.locale as Locale));
      const payload =
        spec.form === 'generic'
          ? genericPayload(kind, spec, task, { body, evidence: input.evidence, materials: Object.fromEntries(materialKeys.map((key) => [key, input.files[materialField(key)] ?? null])) } satisfies GenericInput)
          : payloadFor(kind, task, program, input);
      // a correction is checked whole first: every problem of the form at once, each beside its field
      if (kind === 'correct_application') await services.cases.checkCorrection(caseView.id, (payload as { application?: unknown }).application);
      const parsed = parseInput(completeTaskBody, payload);
      const after = await services.tasks.completeTask(actor, taskId, parsed);
      res.redirect(303, `/cases/${encodeURIComponent(after.id)}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      const shown = refusalInChinese ? refusalInChinese(appError) : appError;
      render(res, 'task', await taskPage(actor, taskId, input, shown, res.locals.locale as Locale), appError.status);
    }
  });

  // 「保存草稿」: the acceptance materials and score sheet so far, kept without completing the task
  web.post('/tasks/:id/draft', signedIn, ...uploadForm, async (req, res) => {
    const actor = actorOf(req);
    const taskId = taskIdOf(req);
    const input: TaskInput = { body: bodyOf(req), files: {}, evidence: {} };
    try {
      await services.taskDrafts.requireDraftable(actor, taskId);
      await receiveFiles(req, actor, input, TASK_FILE_FIELDS.acceptance_submission!);
      await services.taskDrafts.save(actor, taskId, parseInput(taskDraftBody, acceptanceDraftBody(acceptanceFormState(acceptanceInput(input), null, null))));
      res.redirect(303, `/tasks/${encodeURIComponent(taskId)}#draft-saved`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      render(res, 'task', await taskPage(actor, taskId, input, appError, res.locals.locale as Locale), appError.status);
    }
  });
}
