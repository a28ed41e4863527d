/**
 * Glance's cleanup resource manager (Rally's GlanceImage, order 500): the project's images,
 * deactivated ones reactivated before deletion, each deletion waited for.
 *
 * Rally lists only "active" and "deactivated" images, so an image whose upload failed ("queued",
 * "killed") is left behind; here every status is listed, so those are deleted too.
 */
import { image as glance, isHttpStatus } from '../../../openstack/index.js';
import { registerCleanupResource } from '../cleanup/registry.js';
import { GLANCE_TIMINGS } from './service.js';

registerCleanupResource<glance.Image>({
  service: 'glance',
  resource: 'images',
  order: 500,
  tenantResource: true,
  list: ({ session, admin, projectId, allProjects, signal }) =>
    glance.listImages(admin ?? session, {
      query: allProjects || !projectId ? {} : { owner: projectId },
      ...(signal ? { signal } : {}),
    }),
  id: (image) => image.id,
  name: (image) => image.name ?? '',
  async delete({ session, admin }, image) {
    const caller = admin ?? session;
    if (image.status === 'deactivated') await glance.setImageActive(caller, image.id, true);
    await glance.deleteImage(caller, image.id);
  },
  async isDeleted({ session, admin }, image) {
    try {
      const current = await glance.getImage(admin ?? session, image.id);
      return current.status === 'deleted';
    } catch (error) {
      if (isHttpStatus(error, 404)) return true;
      throw error;
    }
  },
  timeoutSeconds: GLANCE_TIMINGS.deleteTimeout,
  intervalSeconds: GLANCE_TIMINGS.deletePollInterval,
});
