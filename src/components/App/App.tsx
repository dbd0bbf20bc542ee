import { AppRootProps } from '@grafana/data';
import { Navigate, Route, Routes } from 'react-router-dom';

import { ROUTES } from '../../constants';
import { History } from '../../pages/History';
import { Incidents } from '../../pages/Incidents';
import { Usage } from '../../pages/Usage';
import { Watch } from '../../pages/Watch';
import { AppSettings } from '../../settings';

export default function App(_props: AppRootProps<AppSettings>) {
  return (
    <Routes>
      <Route path={ROUTES.Incidents} element={<Incidents />} />
      <Route path={ROUTES.History} element={<History />} />
      <Route path={`${ROUTES.History}/:id`} element={<History />} />
      <Route path={ROUTES.Usage} element={<Usage />} />
      <Route path={ROUTES.Watch} element={<Watch />} />
      <Route path="*" element={<Navigate to={ROUTES.Incidents} replace />} />
    </Routes>
  );
}
