import { Router, type Response } from 'express';
import { requireActor } from '../../http/auth.ts';
import { AppError } from '../../features/errors.ts';
import { dashboardCsv, isDashboardChart, type Dashboard, type DashboardChart } from '../../domain/dashboard/dashboard.ts';
import { dashboardProgramId, type DashboardService } from '../../features/dashboard/dashboardService.ts';

/** A chart's numbers as a download Excel opens in Chinese (UTF-8 with a BOM). */
export function sendDashboardCsv(res: Response, data: Dashboard, chart: DashboardChart): void {
  const name = `dashboard-${chart}-${data.program.id}${data.district ? `-${data.district.code}` : ''}.csv`;
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${name}"`);
  res.send(dashboardCsv(data, chart));
}

/** 统计看板, mounted at /dashboard: GET /?programId= → the numbers; GET /:chart.csv?programId= → one chart's as CSV. */
export function dashboardRoutes(dashboards: DashboardService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = requireActor(res);
    res.json({ ...(await dashboards.read(actor, dashboardProgramId(req.query))), programs: await dashboards.programChoices() });
  });
  router.get('/:chart.csv', async (req, res) => {
    const actor = requireActor(res);
    const data = await dashboards.read(actor, dashboardProgramId(req.query));
    const chart = req.params.chart;
    if (!isDashboardChart(chart)) throw new AppError('not_found', `没有此图表 (no such chart) ${chart}`);
    sendDashboardCsv(res, data, chart);
  });
  return router;
}
