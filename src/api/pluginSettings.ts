import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { PLUGIN_ID } from '../constants';
import { AppSettings, SecureSettings } from '../settings';
import { toApiError } from './errors';

export interface SavePluginSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: AppSettings;
  /** Only the secrets being set or reset; absent keys keep their stored value. */
  secureJsonData: SecureSettings;
}

/** Saves the app's settings through Grafana's plugin settings API. */
export async function savePluginSettings(settings: SavePluginSettings): Promise<void> {
  try {
    await lastValueFrom(
      getBackendSrv().fetch({
        url: `/api/plugins/${PLUGIN_ID}/settings`,
        method: 'POST',
        data: settings,
        showErrorAlert: false,
      })
    );
  } catch (err) {
    throw toApiError(err);
  }
}

/** The app's saved jsonData, as Grafana serves it to any signed-in user. */
export async function loadPluginSettings(): Promise<AppSettings> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<{ jsonData?: AppSettings }>({
        url: `/api/plugins/${PLUGIN_ID}/settings`,
        showErrorAlert: false,
      })
    );
    return res.data.jsonData ?? {};
  } catch (err) {
    throw toApiError(err);
  }
}
