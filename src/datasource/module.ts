import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './ConfigEditor';
import { DataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import { AiopsDataSourceOptions, AiopsQuery } from './types';

export const plugin = new DataSourcePlugin<DataSource, AiopsQuery, AiopsDataSourceOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
