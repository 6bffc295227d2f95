export { backup, type BackupOptions } from "./backup.ts";
export { restore, type RestoreOptions } from "./restore.ts";
export { BackupRefused, type BackupManifest } from "./backup-format.ts";
export { BACKUP_ROUTE, backupRoute } from "./backup-route.ts";
export { removeRunningMarker, runningProcessOf, writeRunningMarker } from "./running-marker.ts";
export { runBackupCommand } from "./command.ts";
