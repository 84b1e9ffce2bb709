"""Sync of the window's outbox with the central PostgreSQL (see README-snippet.md). Entry points:
`xinfang_desk.sync.engine.sync_once`, `xinfang_desk.sync.service.SyncLoop` (the one loop; `watch`) / `SyncMonitor`,
`xinfang_desk.sync.central` (init, roles, conflicts), `xinfang_desk.sync.transfer` (signed export/import)."""
