from django.contrib import admin

from concord.countries.models import Country, CountryGroup, DataSource


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "un_member", "population", "population_year"]
    list_filter = ["un_member", "region"]
    search_fields = ["code", "alpha3", "name"]


admin.site.register(CountryGroup)
admin.site.register(DataSource)
