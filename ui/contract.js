// The window's commands and events by name, written from the app's one list
// (src-tauri/src/desktop/command_list.rs, contract.rs) by its tests:
// UPDATE_FIXTURES=1 cargo test -p clickatell-balance-app rewrites it. Do not edit.
export const commands = Object.freeze({
  getSnapshot: 'get_snapshot',
  getAccounts: 'get_accounts',
  getSettings: 'get_settings',
  fieldLimits: 'field_limits',
  saveSettings: 'save_settings',
  testToken: 'test_token',
  saveToken: 'save_token',
  deleteToken: 'delete_token',
  tokenStatus: 'token_status',
  refreshNow: 'refresh_now',
  getHistory: 'get_history',
  sendTestNotification: 'send_test_notification',
  testConnection: 'test_connection',
  saveProxyPassword: 'save_proxy_password',
  proxyPasswordStatus: 'proxy_password_status',
  channelSecrets: 'channel_secrets',
  saveChannelSecret: 'save_channel_secret',
  sendTestAlert: 'send_test_alert',
  exportHistory: 'export_history',
});

export const events = Object.freeze({
  snapshot: 'snapshot',
  focusAccount: 'focus-account',
  trayReady: 'tray-ready',
  navigate: 'navigate',
});
