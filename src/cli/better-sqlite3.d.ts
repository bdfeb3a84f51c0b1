// The part of better-sqlite3's API that src/cli/outbox-sqlite.ts uses (the package ships no types,
// and @types/better-sqlite3 would be one more dependency for a handful of methods).
declare module 'better-sqlite3' {
  export interface RunResult {
    changes: number;
  }
  export interface Statement<Row = unknown> {
    run(...params: unknown[]): RunResult;
    get(...params: unknown[]): Row | undefined;
    all(...params: unknown[]): Row[];
  }
  export interface Database {
    prepare<Row = unknown>(sql: string): Statement<Row>;
    exec(sql: string): Database;
    pragma(source: string, options?: { simple?: boolean }): unknown;
    close(): Database;
    readonly open: boolean;
  }
  export interface DatabaseConstructor {
    new (filename: string, options?: { timeout?: number; fileMustExist?: boolean }): Database;
  }
  const Database: DatabaseConstructor;
  export default Database;
}
