// The statement_reports repository on SQLite and PostgreSQL: tenant scoping, latest report per applicant.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects, manualClock } from '../store/dialects.js';
import { statementReportRepo } from '../../src/store/repos/statement-reports.js';
import { StoreConflictError, StoreValidationError } from '../../src/store/errors.js';

const all = await dialects('stmt');
after(async () => {
  for (const d of all) await d.cleanup();
});

for (const d of all) {
  describe(`statement reports (${d.name})`, { skip: d.skip }, () => {
    test('put/get is tenant-scoped; latestFeatures picks the newest report by userId or idNumber', async () => {
      const clock = manualClock(Date.UTC(2026, 10, 1));
      const store = await d.open();
      const repo = statementReportRepo(store.db, clock);
      await repo.put('ta', { id: 'r1', subject: { userId: 'u1' }, features: { incomeMonthlyAvg: 100 }, report: { holder: 'x' } });
      clock.advance(1000);
      await repo.put('ta', { id: 'r2', subject: { idNumber: '110101199003071234' }, features: { incomeMonthlyAvg: 200 }, report: { holder: 'y' } });
      await repo.put('tb', { id: 'r1', subject: { userId: 'u1' }, features: { incomeMonthlyAvg: 999 }, report: { holder: 'b' } });

      const got = await repo.get<{ holder: string }>('ta', 'r1');
      assert.equal(got?.report.holder, 'x');
      assert.deepEqual(got?.subject, { userId: 'u1' });
      assert.equal(got?.createdAt, Date.UTC(2026, 10, 1));
      assert.equal((await repo.get<{ holder: string }>('tb', 'r1'))?.report.holder, 'b');
      assert.equal(await repo.get('tc', 'r1'), undefined);

      assert.equal((await repo.latestFeatures('ta', { userId: 'u1' }))?.features.incomeMonthlyAvg, 100);
      assert.equal((await repo.latestFeatures('ta', { userId: 'u1', idNumber: '110101199003071234' }))?.id, 'r2', 'the newer of the two matches');
      assert.equal((await repo.latestFeatures('tb', { userId: 'u1' }))?.features.incomeMonthlyAvg, 999);
      assert.equal(await repo.latestFeatures('tb', { idNumber: '110101199003071234' }), undefined);
      assert.equal(await repo.latestFeatures('ta', {}), undefined);

      await assert.rejects(repo.put('ta', { id: 'r1', features: {}, report: {} }), StoreConflictError);
      await assert.rejects(repo.put('ta', { id: 'r3', subject: { userId: 'x'.repeat(500) }, features: {}, report: {} }), StoreValidationError);
    });
  });
}
