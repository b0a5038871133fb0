import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { router } from './router'
import { i18n, currentLocale } from './i18n'
import { configureClient } from './api/client'
import { useAuthStore } from './stores/auth'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
app.use(ElementPlus)

const auth = useAuthStore()
configureClient({
  token: () => auth.token,
  locale: () => currentLocale(),
  unauthorized: () => {
    auth.logout()
    if (router.currentRoute.value.meta.auth) void router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } })
  },
})
document.documentElement.lang = currentLocale()

app.use(router)
app.mount('#app')
