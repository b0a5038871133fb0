import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import type { Role } from '@/api/types'
import { useAuthStore } from '@/stores/auth'

declare module 'vue-router' {
  interface RouteMeta {
    auth?: boolean
    roles?: Role[]
  }
}

const staff: Role[] = ['judge', 'organiser']
const organiser: Role[] = ['organiser']

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('@/views/HomeView.vue') },
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue') },
  { path: '/register', name: 'register', component: () => import('@/views/RegisterView.vue') },
  { path: '/items/:id', name: 'item', component: () => import('@/views/ChallengeItemView.vue'), props: true },
  { path: '/contests/:id', name: 'contest', component: () => import('@/views/ContestView.vue'), props: true },
  { path: '/tracks/:id', name: 'track', component: () => import('@/views/TrackView.vue'), props: true },
  { path: '/notices', name: 'notices', component: () => import('@/views/notice/NoticesView.vue') },
  { path: '/notices/:id', name: 'notice', component: () => import('@/views/notice/NoticeView.vue'), props: true },
  { path: '/hall-of-fame', name: 'hall', component: () => import('@/views/HallOfFameView.vue') },
  { path: '/teams', name: 'teams', component: () => import('@/views/TeamsView.vue'), meta: { auth: true } },
  { path: '/inbox', name: 'inbox', component: () => import('@/views/inbox/InboxView.vue'), meta: { auth: true } },
  { path: '/applications', name: 'applications', component: () => import('@/views/MyApplicationsView.vue'), meta: { auth: true } },
  { path: '/units', name: 'units', component: () => import('@/views/units/UnitsView.vue'), meta: { auth: true } },
  { path: '/items/:id/unit-application', name: 'unit-application', component: () => import('@/views/units/UnitApplicationView.vue'), props: true, meta: { auth: true } },
  { path: '/review/desk', name: 'review-desk', component: () => import('@/views/review/ReviewDeskView.vue'), meta: { auth: true } },
  { path: '/review/desk/items/:id', name: 'review-item', component: () => import('@/views/review/ReviewItemView.vue'), props: true, meta: { auth: true } },
  { path: '/review/lists/:id/rubric', name: 'review-rubric', component: () => import('@/views/review/RubricView.vue'), props: true, meta: { auth: true } },
  { path: '/review/items/:id/formal-check', name: 'formal-check', component: () => import('@/views/review/FormalCheckView.vue'), props: true, meta: { auth: true } },
  { path: '/review/items/:id/reviewers', name: 'review-reviewers', component: () => import('@/views/review/ReviewersView.vue'), props: true, meta: { auth: true } },
  { path: '/review/items/:id/ranking', name: 'review-ranking', component: () => import('@/views/review/RankingView.vue'), props: true, meta: { auth: true } },
  { path: '/phases/:id/submit', name: 'submit', component: () => import('@/views/SubmitView.vue'), props: true, meta: { auth: true } },
  { path: '/phases/:id/submissions', name: 'my-submissions', component: () => import('@/views/MySubmissionsView.vue'), props: true, meta: { auth: true } },
  { path: '/submissions/:id', name: 'submission', component: () => import('@/views/SubmissionView.vue'), props: true, meta: { auth: true } },
  { path: '/judge', name: 'judge', component: () => import('@/views/judge/JudgeReviewView.vue'), meta: { auth: true } }, // a contest's own judges too: the API decides
  { path: '/judge/submissions/:id', name: 'judge-submission', component: () => import('@/views/judge/JudgeSubmissionView.vue'), props: true, meta: { auth: true } },
  { path: '/judge/audit', name: 'audit', component: () => import('@/views/judge/AuditView.vue'), meta: { auth: true, roles: staff } },
  { path: '/admin/lists', name: 'admin-lists', component: () => import('@/views/admin/ListsView.vue'), meta: { auth: true, roles: organiser } },
  { path: '/admin/lists/:id', name: 'admin-list', component: () => import('@/views/admin/ListEditView.vue'), props: true, meta: { auth: true, roles: organiser } },
  { path: '/admin/items/:id/applications', name: 'admin-applications', component: () => import('@/views/admin/ApplicationsView.vue'), props: true, meta: { auth: true } }, // a unit's or list's organisers too: the API decides
  { path: '/admin/items/:id/notice', name: 'admin-notice', component: () => import('@/views/notice/NoticeDeskView.vue'), props: true, meta: { auth: true } },
  { path: '/admin/contests', name: 'admin-contests', component: () => import('@/views/admin/ContestsView.vue'), meta: { auth: true } }, // units' organisers create theirs
  { path: '/admin/contests/:id', name: 'admin-contest', component: () => import('@/views/admin/ContestEditView.vue'), props: true, meta: { auth: true } }, // scoped organisers too: the API decides
  { path: '/admin/contests/:id/tracks/new', name: 'track-wizard', component: () => import('@/views/organiser/track-wizard/TrackWizardView.vue'), props: true, meta: { auth: true } },
  { path: '/admin/health', name: 'health', component: () => import('@/views/admin/HealthView.vue'), meta: { auth: true } }, // any organiser: the API decides what they read
  { path: '/admin/roles', name: 'roles', component: () => import('@/views/admin/RolesView.vue'), meta: { auth: true } }, // a list's organisers and platform administrators: the API decides
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  if (!auth.ready) await auth.fetchMe()
  if (to.meta.auth && !auth.signedIn) return { name: 'login', query: { next: to.fullPath } }
  if (to.meta.roles && (!auth.role || !to.meta.roles.includes(auth.role))) return { name: 'not-found', params: { pathMatch: ['forbidden'] } }
  return true
})
