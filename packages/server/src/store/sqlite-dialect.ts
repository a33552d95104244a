// Kysely's SQLite dialect, except that a rollback after SQLite already rolled back is skipped. On SQLITE_FULL or
// SQLITE_IOERR SQLite ends the transaction itself; kysely's own ROLLBACK then fails with "cannot rollback - no
// transaction is active", and that error replaced the real one (the caller saw a 500 instead of "disk full").
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

export class SqliteDialectKeepingErrors extends SqliteDialect {
  readonly #raw: BetterSqlite3.Database;

  constructor(raw: BetterSqlite3.Database, config: SqliteDialectConfig) {
    super(config);
    this.#raw = raw;
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const raw = this.#raw;
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      if (!raw.inTransaction) return;
      await rollback(connection);
    };
    return driver;
  }
}
